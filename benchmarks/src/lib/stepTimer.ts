import { performance } from "node:perf_hooks";
import { summarize, type Latency } from "./stats.js";

/** Times each call of wrapped async functions, by step name. */
export const createStepTimer = () => {
  const samples = new Map<string, number[]>();
  return {
    wrap<A extends unknown[], R>(step: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
      samples.set(step, []);
      return async (...args: A) => {
        const t0 = performance.now();
        try {
          return await fn(...args);
        } finally {
          samples.get(step)!.push(performance.now() - t0);
        }
      };
    },
    summary(): { step: string; latencyMs: Latency }[] {
      return [...samples].sort(([a], [b]) => a.localeCompare(b)).map(([step, xs]) => ({ step, latencyMs: summarize(xs) }));
    },
  };
};
