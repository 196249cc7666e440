import { performance } from "node:perf_hooks";
import { summarize, type Latency } from "./stats.js";

export interface ClosedLoopResult {
  label: string;
  concurrency: number;
  windowS: number;
  ops: number;
  errors: number;
  firstError?: string;
  opsPerS: number;
  latencyMs: Latency;
  /** Raw samples, for merging rounds; not saved. */
  samples?: number[];
}

/** One result for several runs of the same label and concurrency: windows add up, samples pool. */
export const mergeResults = (parts: readonly ClosedLoopResult[]): ClosedLoopResult => {
  const samples = parts.flatMap((p) => p.samples ?? []);
  const windowS = parts.reduce((sum, p) => sum + p.windowS, 0);
  const errors = parts.reduce((sum, p) => sum + p.errors, 0);
  const firstError = parts.find((p) => p.firstError)?.firstError;
  return {
    label: parts[0]!.label,
    concurrency: parts[0]!.concurrency,
    windowS,
    ops: samples.length,
    errors,
    ...(firstError ? { firstError } : {}),
    opsPerS: samples.length / windowS,
    latencyMs: summarize(samples),
  };
};

/**
 * `concurrency` workers each run `op` back to back for warm-up + measured window. Only
 * operations that complete inside the window count (throughput and latency alike). `thinkMs`:
 * a pause after each operation, outside its latency (the work an operation leaves behind then
 * does not queue up in front of the next one).
 */
export const runClosedLoop = async (options: {
  label: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  thinkMs?: number;
  op: (worker: number) => Promise<void>;
}): Promise<ClosedLoopResult> => {
  const start = performance.now();
  const windowStart = start + options.warmupMs;
  const end = windowStart + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const worker = async (w: number) => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= end) return;
      try {
        await options.op(w);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        continue;
      }
      const t1 = performance.now();
      if (t1 >= windowStart && t1 <= end) latencies.push(t1 - t0);
      if (options.thinkMs) await new Promise((resolve) => setTimeout(resolve, options.thinkMs));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
  const windowS = options.durationMs / 1000;
  return {
    label: options.label,
    concurrency: options.concurrency,
    windowS,
    ops: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
    opsPerS: latencies.length / windowS,
    latencyMs: summarize(latencies),
    samples: latencies,
  };
};
