import { describe, expect, it } from "vitest";
import { backoffDelayMs, retry } from "./retry.js";

class Transient extends Error {}
class Permanent extends Error {}

const failing = (failures: number, value = "done") => {
  const calls: number[] = [];
  const work = async (attempt: number) => {
    calls.push(attempt);
    if (calls.length <= failures) throw new Transient(`failure ${calls.length}`);
    return value;
  };
  return { work, calls };
};

const transientOnly = (error: unknown) => error instanceof Transient;
const almostOne = () => 0.999;

describe("backoffDelayMs", () => {
  it("doubles its cap per retry up to the maximum, scaled by the jitter", () => {
    const policy = { baseDelayMs: 10, maxDelayMs: 35 };
    expect([0, 1, 2, 3].map((n) => backoffDelayMs(n, policy, almostOne))).toEqual([9, 19, 34, 34]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(1, policy, () => 0.5)).toBe(10);
  });
});

describe("retry", () => {
  it("tries again until the work succeeds, and returns its value", async () => {
    const { work, calls } = failing(2);
    await expect(retry(work, { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, retryable: transientOnly })).resolves.toBe("done");
    expect(calls).toEqual([1, 2, 3]);
  });

  it("makes at most `attempts` attempts, then throws the last failure", async () => {
    const { work, calls } = failing(10);
    await expect(retry(work, { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, retryable: transientOnly })).rejects.toThrow("failure 4");
    expect(calls).toEqual([1, 2, 3, 4]);
  });

  it("waits the jittered backoff between attempts, as told to onRetry", async () => {
    const { work } = failing(3);
    const waits: { attempt: number; delayMs: number }[] = [];
    const started = performance.now();
    await retry(work, {
      attempts: 5,
      baseDelayMs: 40,
      maxDelayMs: 100,
      random: almostOne,
      retryable: transientOnly,
      onRetry: (_, next) => void waits.push(next),
    });
    expect(waits).toEqual([
      { attempt: 2, delayMs: 39 },
      { attempt: 3, delayMs: 79 },
      { attempt: 4, delayMs: 99 },
    ]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(39 + 79 + 99 - 5);
  });

  it("waits the caps themselves without jitter", async () => {
    const { work } = failing(3);
    const waits: number[] = [];
    await retry(work, {
      attempts: 4,
      baseDelayMs: 10,
      maxDelayMs: 25,
      jitter: false,
      retryable: transientOnly,
      onRetry: (_, next) => void waits.push(next.delayMs),
    });
    expect(waits).toEqual([10, 20, 25]);
  });

  it("does not wait after its last attempt", async () => {
    const { work } = failing(10);
    const started = performance.now();
    // One wait of 199 ms between the two attempts; a wait after the second would add 199 more.
    await expect(retry(work, { attempts: 2, baseDelayMs: 200, maxDelayMs: 200, random: almostOne, retryable: transientOnly })).rejects.toThrow("failure 2");
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(380);
  });

  it("throws a failure that is not retryable at once, without waiting", async () => {
    let calls = 0;
    const started = performance.now();
    await expect(
      retry(
        async () => {
          calls += 1;
          throw new Permanent("refused");
        },
        { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 1_000, retryable: transientOnly },
      ),
    ).rejects.toBeInstanceOf(Permanent);
    expect(calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("lets the predicate decline a retry by its wait (a deadline it would overrun)", async () => {
    const { work, calls } = failing(10);
    await expect(
      retry(work, { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 1_000, random: almostOne, retryable: (_, next) => next.delayMs < 500 }),
    ).rejects.toThrow("failure 1");
    expect(calls).toEqual([1]);
  });

  it("stops waiting when its signal aborts, throwing the last failure, and starts no attempt after", async () => {
    const { work, calls } = failing(10);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gone")), 50);
    const started = performance.now();
    await expect(
      retry(work, { attempts: 5, baseDelayMs: 5_000, maxDelayMs: 5_000, random: almostOne, retryable: transientOnly, signal: controller.signal }),
    ).rejects.toThrow("failure 1");
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(calls).toEqual([1]);
  });

  it("starts nothing under a signal already aborted", async () => {
    const { work, calls } = failing(0);
    await expect(
      retry(work, { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, retryable: transientOnly, signal: AbortSignal.abort(new Error("gone")) }),
    ).rejects.toThrow("gone");
    expect(calls).toEqual([]);
  });
});
