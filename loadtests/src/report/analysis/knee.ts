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
}

/** Groups a mode's points by their `step` tag: p99 of request durations and achieved throughput per step. */
export const measureSteps = (durations: readonly Point[], iterations: readonly Point[]): StepMeasurement[] => {
  const steps = [...new Set(durations.map((p) => Number(p.tags.step)).filter(Number.isFinite))].sort((a, b) => a - b);
  return steps.map((step) => {
    const inStep = durations.filter((p) => Number(p.tags.step) === step);
    const [first, last] = extent(inStep.map((p) => p.time));
    const seconds = Math.max(1, (last - first) / 1_000);
    const iterationsInStep = iterations.filter((p) => Number(p.tags.step) === step).length;
    return {
      step,
      p99: percentile(inStep.map((p) => p.value), 99),
      requests: inStep.length,
      requestsPerSecond: inStep.length / seconds,
      iterationsPerSecond: iterationsInStep > 0 ? iterationsInStep / seconds : Number.NaN,
    };
  });
};

export interface Knee {
  /** The highest step whose p99 stayed under the threshold, with every lower step also under it. */
  knee: StepMeasurement | undefined;
  /** True when even the highest step stayed under: the knee is at least that, not measured. */
  saturated: boolean;
  thresholdMs: number;
}

/** Walks the steps upwards and stops at the first one whose p99 reaches the threshold. */
export const findKnee = (steps: readonly StepMeasurement[], thresholdMs: number): Knee => {
  const sorted = [...steps].sort((a, b) => a.step - b.step);
  let knee: StepMeasurement | undefined;
  for (const step of sorted) {
    if (!(step.p99 < thresholdMs)) return { knee, saturated: true, thresholdMs };
    knee = step;
  }
  return { knee, saturated: false, thresholdMs };
};
