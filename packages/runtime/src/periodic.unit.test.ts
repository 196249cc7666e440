import { describe, expect, it } from "vitest";
import { startPeriodic } from "./periodic.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startPeriodic", () => {
  it("runs ticks one after another, never two at once, each `intervalMs` after the last ended", async () => {
    let running = 0;
    let peak = 0;
    let ticks = 0;
    const periodic = startPeriodic(
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await wait(30);
        running -= 1;
        ticks += 1;
      },
      { intervalMs: 1 },
    );
    await wait(200);
    await periodic.stop();
    expect(peak).toBe(1);
    // Ticks of 30 ms back to back in 200 ms: overlapping ones would make many more.
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(ticks).toBeLessThanOrEqual(7);
  });

  it("stop waits for the tick that is running, and no tick starts after it", async () => {
    let started = 0;
    let ended = 0;
    const periodic = startPeriodic(
      async () => {
        started += 1;
        await wait(60);
        ended += 1;
      },
      { intervalMs: 1 },
    );
    await wait(20);
    expect(started).toBe(1);
    expect(ended).toBe(0);
    await periodic.stop();
    expect(ended).toBe(1);
    await wait(50);
    expect(started).toBe(1);
  });

  it("hands a failing tick to onError and goes on ticking", async () => {
    const errors: unknown[] = [];
    let ticks = 0;
    const periodic = startPeriodic(
      async () => {
        ticks += 1;
        if (ticks === 1) throw new Error("first pass failed");
      },
      { intervalMs: 5, onError: (error) => errors.push(error) },
    );
    await wait(60);
    await periodic.stop();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("first pass failed");
    expect(ticks).toBeGreaterThan(1);
  });

  it("asks an `intervalMs` function after each tick how long to wait before the next", async () => {
    const delays = [5, 80];
    const startedAt: number[] = [];
    const periodic = startPeriodic(
      async () => {
        startedAt.push(performance.now());
      },
      { intervalMs: () => delays.shift() ?? 1_000 },
    );
    await wait(60);
    // The first tick at once, the second 5 ms after it; the third waits 80 ms.
    expect(startedAt).toHaveLength(2);
    await wait(80);
    await periodic.stop();
    expect(startedAt).toHaveLength(3);
    expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(75);
  });
});
