import { TimeoutError } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { withTimeout } from "./withTimeout.js";

describe("withTimeout", () => {
  it("returns the work's value when it ends in time, its signal never aborted", async () => {
    let seen: AbortSignal | undefined;
    const value = await withTimeout(
      async (signal) => {
        seen = signal;
        return 42;
      },
      1_000,
      { what: "the answer" },
    );
    expect(value).toBe(42);
    expect(seen?.aborted).toBe(false);
  });

  it("aborts the work's signal at the timeout and rejects with a TimeoutError naming the work", async () => {
    let seen: AbortSignal | undefined;
    const work = (signal: AbortSignal) => {
      seen = signal;
      return new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new Error("stopped by its signal"))));
    };
    const outcome = withTimeout(work, 30, { what: "undo reserve" });
    await expect(outcome).rejects.toBeInstanceOf(TimeoutError);
    await expect(outcome).rejects.toThrow("undo reserve did not finish within 30 ms");
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(TimeoutError);
  });

  it("rejects in time even when the work ignores its signal", async () => {
    const started = performance.now();
    await expect(withTimeout(() => new Promise((resolve) => setTimeout(resolve, 2_000)), 30, { what: "a deaf step" })).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("passes the caller's abort on to the work and rejects with its reason", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const outcome = withTimeout(
      (signal) => {
        seen = signal;
        return new Promise(() => undefined);
      },
      5_000,
      { what: "a call", signal: controller.signal },
    );
    const reason = new Error("the request was cancelled");
    controller.abort(reason);
    await expect(outcome).rejects.toBe(reason);
    expect(seen?.reason).toBe(reason);
  });
});
