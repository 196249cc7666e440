import type { Point } from "./points.js";
import { extent, percentile } from "./stats.js";

/** One arrival-rate step of the storefront's ramp, as measured. */
export interface StepMeasurement {
  /** The step's target arrival rate (iterations/s), from the `step` tag. */
  step: number;
  p99: number;
  requests: number;
  /** Achieved requests/s between the step's first and last request. */
  requestsPerSecond: number;
  /** Completed iterations/s in the same window (NaN when the run tags no iterations with `step`). */
  iterationsPerSecond: number;
  /** Share of the step's requests k6 counted as failed (`http_req_failed`); NaN without those points. */
  errorRate: number;
}

/** Groups a mode's points by their `step` tag: p99 of request durations and achieved throughput per step. */
export const measureSteps = (durations: readonly Point[], iterations: readonly Point[], failed: readonly Point[] = []): StepMeasurement[] => {
  const steps = [...new Set(durations.map((p) => Number(p.tags.step)).filter(Number.isFinite))].sort((a, b) => a - b);
  return steps.map((step) => {
    const inStep = durations.filter((p) => Number(p.tags.step) === step);
    const [first, last] = extent(inStep.map((p) => p.time));
    const seconds = Math.max(1, (last - first) / 1_000);
    const iterationsInStep = iterations.filter((p) => Number(p.tags.step) === step).length;
    const failedInStep = failed.filter((p) => Number(p.tags.step) === step);
    return {
      step,
      p99: percentile(
        inStep.map((p) => p.value),
        99,
      ),
      requests: inStep.length,
      requestsPerSecond: inStep.length / seconds,
      iterationsPerSecond: iterationsInStep > 0 ? iterationsInStep / seconds : Number.NaN,
      errorRate: failedInStep.length > 0 ? failedInStep.filter((p) => p.value !== 0).length / failedInStep.length : Number.NaN,
    };
  });
};

export interface Knee {
  /** The highest step whose p99 stayed under the threshold and errors under `maxErrorRate`, every lower step too. */
  knee: StepMeasurement | undefined;
  /** True when even the highest step stayed under: the knee is at least that, not measured. */
  saturated: boolean;
  thresholdMs: number;
  maxErrorRate: number;
}

/**
 * Walks the steps upwards and stops at the first one whose p99 reaches the threshold or whose
 * error rate reaches `maxErrorRate` (the storefront script's own knee rule: fast errors are no
 * capacity). A step without failure samples is judged on p99 alone.
 */
export const findKnee = (steps: readonly StepMeasurement[], thresholdMs: number, maxErrorRate = 0.01): Knee => {
  const sorted = [...steps].sort((a, b) => a.step - b.step);
  let knee: StepMeasurement | undefined;
  for (const step of sorted) {
    if (!(step.p99 < thresholdMs) || step.errorRate >= maxErrorRate) return { knee, saturated: true, thresholdMs, maxErrorRate };
    knee = step;
  }
  return { knee, saturated: false, thresholdMs, maxErrorRate };
};
