import { ConcurrencyError, NotFoundError } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { retryOnConflict } from "./retryOnConflict.js";

const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 };

describe("retryOnConflict", () => {
  it("runs the step again after a lost race, up to the policy's attempts", async () => {
    let calls = 0;
    const step = async () => {
      calls += 1;
      throw new ConcurrencyError("order-1", calls);
    };
    await expect(retryOnConflict(step, policy)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(calls).toBe(3);
  });

  it("returns the step's result once it wins", async () => {
    let calls = 0;
    const step = async () => {
      calls += 1;
      if (calls < 2) throw new ConcurrencyError("order-1", 1);
      return "appended";
    };
    await expect(retryOnConflict(step, policy)).resolves.toBe("appended");
  });

  it("passes any other failure on at once", async () => {
    let calls = 0;
    const step = async () => {
      calls += 1;
      throw new NotFoundError("no such order");
    };
    await expect(retryOnConflict(step, policy)).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toBe(1);
  });
});
