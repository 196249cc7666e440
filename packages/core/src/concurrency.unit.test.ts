import { describe, expect, it } from "vitest";
import { createKeyedSerializer, forEachConcurrently } from "./concurrency.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("forEachConcurrently", () => {
  it("runs every item, never more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(10 + (n % 3) * 5);
      done.push(n);
      running -= 1;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it("takes items from an async iterable (a paged query) as slots free up", async () => {
    async function* pages() {
      for (let n = 1; n <= 5; n++) {
        await sleep(1);
        yield n;
      }
    }
    const seen: number[] = [];
    await forEachConcurrently(pages(), 2, async (n) => void seen.push(n));
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("stops starting work after a failure, lets the running work end, then throws the first failure", async () => {
    const started: number[] = [];
    let finished = 0;
    const run = forEachConcurrently([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await sleep(n === 2 ? 5 : 20);
      if (n === 2) throw new Error("two failed");
      finished += 1;
    });
    await expect(run).rejects.toThrow("two failed");
    // 2 fails while 1 runs: nothing after it starts, and 1 is awaited before the failure is thrown.
    expect(started).toEqual([1, 2]);
    expect(finished).toBe(1);
  });
});

describe("createKeyedSerializer", () => {
  it("runs one key's work one at a time in call order, other keys side by side, past failures", async () => {
    const serialized = createKeyedSerializer();
    const running = new Map<string, number>();
    let peakPerKey = 0;
    let peakAll = 0;
    const log: string[] = [];
    const work = (key: string, n: number, fail = false) =>
      serialized(key, async () => {
        running.set(key, (running.get(key) ?? 0) + 1);
        peakPerKey = Math.max(peakPerKey, running.get(key)!);
        peakAll = Math.max(
          peakAll,
          [...running.values()].reduce((a, b) => a + b, 0),
        );
        await sleep(5 + ((n * 7) % 4));
        running.set(key, running.get(key)! - 1);
        log.push(`${key}${n}`);
        if (fail) throw new Error(`${key}${n} failed`);
        return n;
      });
    const results = await Promise.allSettled([work("a", 1), work("a", 2, true), work("b", 1), work("a", 3), work("b", 2)]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([1, "a2 failed", 1, 3, 2]);
    expect(log.filter((l) => l.startsWith("a"))).toEqual(["a1", "a2", "a3"]);
    expect(log.filter((l) => l.startsWith("b"))).toEqual(["b1", "b2"]);
    expect(peakPerKey).toBe(1);
    expect(peakAll).toBe(2);
  });
});
