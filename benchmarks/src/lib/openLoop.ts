import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { loopRecorder, type ClosedLoopResult } from "./closedLoop.js";

/**
 * Open loop: operations arrive at a fixed `ratePerS` whatever the answers' pace, each run by one
 * of `concurrency` workers (an arrival finding none free waits for one). Latency counts from
 * the arrival's scheduled time, so time spent queued behind slow answers counts too (no
 * coordinated omission). Every operation that arrives in the measured window counts, however late
 * it ends; throughput is those completed over the window.
 */
export const runOpenLoop = async (options: {
  label: string;
  concurrency: number;
  ratePerS: number;
  warmupMs: number;
  durationMs: number;
  op: (worker: number) => Promise<void>;
}): Promise<ClosedLoopResult> => {
  const start = performance.now();
  const windowStart = start + options.warmupMs;
  const end = windowStart + options.durationMs;
  const free = Array.from({ length: options.concurrency }, (_, w) => w);
  const waiting: ((worker: number) => void)[] = [];
  const acquire = () => (free.length > 0 ? Promise.resolve(free.pop()!) : new Promise<number>((resolve) => waiting.push(resolve)));
  const release = (worker: number) => {
    const next = waiting.shift();
    if (next) next(worker);
    else free.push(worker);
  };
  const record = loopRecorder(options);
  const arrive = async (due: number) => {
    const worker = await acquire();
    try {
      await options.op(worker);
      if (due >= windowStart) record.latency(performance.now() - due);
    } catch (error) {
      record.error(error);
    } finally {
      release(worker);
    }
  };
  const arrivals: Promise<void>[] = [];
  for (let n = 0; ; n += 1) {
    const due = start + (n * 1000) / options.ratePerS;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    arrivals.push(arrive(due));
  }
  await Promise.all(arrivals);
  return record.result();
};
