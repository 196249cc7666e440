import { describe, expect, it } from "vitest";
import { sleep } from "./sleep.js";

describe("sleep", () => {
  it("waits the time and resolves true", async () => {
    const started = performance.now();
    await expect(sleep(30)).resolves.toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("ends early, resolving false, when its signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    await expect(sleep(5_000, controller.signal)).resolves.toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(sleep(5_000, controller.signal)).resolves.toBe(false);
  });
});
