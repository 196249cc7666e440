import { describe, expect, it } from "vitest";
import { runOpenLoop } from "./openLoop.js";

describe("open loop", () => {
  it("keeps the arrival rate when answers are slow, and counts the queueing in the latency", async () => {
    const started: number[] = [];
    const result = await runOpenLoop({
      label: "slow",
      concurrency: 1,
      ratePerS: 50,
      warmupMs: 0,
      durationMs: 400,
      op: async () => {
        started.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, 40));
      },
    });
    // 20 arrivals in 400 ms, one worker taking 40 ms each: every one runs, each later than the last.
    expect(result.ops).toBe(20);
    expect(started).toHaveLength(20);
    // The last arrival (at 380 ms) waited for the 19 before it: ≈ 19 × 40 − 380 + 40 = 420 ms.
    expect(result.latencyMs.max).toBeGreaterThan(350);
    expect(Math.min(...result.samples!)).toBeLessThan(result.latencyMs.max / 2);
  });

  it("runs operations side by side up to the concurrency, each on a worker of its own", async () => {
    const busy = new Set<number>();
    let clash = false;
    const result = await runOpenLoop({
      label: "wide",
      concurrency: 4,
      ratePerS: 200,
      warmupMs: 0,
      durationMs: 200,
      op: async (worker) => {
        if (busy.has(worker)) clash = true;
        busy.add(worker);
        await new Promise((resolve) => setTimeout(resolve, 10));
        busy.delete(worker);
      },
    });
    expect(clash).toBe(false);
    expect(result.ops).toBe(40);
    expect(result.latencyMs.p50).toBeLessThan(100);
  });
});
