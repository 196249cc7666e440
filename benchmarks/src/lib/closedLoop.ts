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

/** The result of latency `samples` taken in a window of `windowS` seconds. */
const resultOf = (run: { label: string; concurrency: number; windowS: number; samples: number[]; errors: number; firstError: string | undefined }) => ({
  label: run.label,
  concurrency: run.concurrency,
  windowS: run.windowS,
  ops: run.samples.length,
  errors: run.errors,
  ...(run.firstError ? { firstError: run.firstError } : {}),
  opsPerS: run.samples.length / run.windowS,
  latencyMs: summarize(run.samples),
});

/** One result for several runs of the same label and concurrency: windows add up, samples pool. */
export const mergeResults = (parts: readonly ClosedLoopResult[]): ClosedLoopResult =>
  resultOf({
    label: parts[0]!.label,
    concurrency: parts[0]!.concurrency,
    windowS: parts.reduce((sum, p) => sum + p.windowS, 0),
    samples: parts.flatMap((p) => p.samples ?? []),
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
    firstError: parts.find((p) => p.firstError)?.firstError,
  });

/** What a loop records as it runs — latencies, errors, the first error's text — and its result at the end. */
export const loopRecorder = (options: { label: string; concurrency: number; durationMs: number }) => {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  return {
    latency: (ms: number) => void latencies.push(ms),
    error(error: unknown) {
      errors += 1;
      firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    },
    result: (): ClosedLoopResult => ({
      ...resultOf({ label: options.label, concurrency: options.concurrency, windowS: options.durationMs / 1000, samples: latencies, errors, firstError }),
      samples: latencies,
    }),
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
  const record = loopRecorder(options);
  const worker = async (w: number) => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= end) return;
      try {
        await options.op(w);
      } catch (error) {
        record.error(error);
        continue;
      }
      const t1 = performance.now();
      if (t1 >= windowStart && t1 <= end) record.latency(t1 - t0);
      if (options.thinkMs) await new Promise((resolve) => setTimeout(resolve, options.thinkMs));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
  return record.result();
};
