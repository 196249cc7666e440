import { availability, availabilityPerSecond, type AvailabilitySecond } from "./availability.js";
import { findKnee, measureSteps, type Knee, type StepMeasurement } from "./knee.js";
import { modeResolver, type Point } from "./points.js";
import { cdf, extent, percentiles, type Percentiles } from "./stats.js";
import type { TimeWindow } from "./cpu.js";

/** Which metrics of a scenario the report reads as its latency and its staleness. */
export interface MetricChoice {
  latency: string;
  staleness?: string;
}

/** The counters scripts add besides k6's built-ins; summed per mode when present. */
export const SCRIPT_COUNTERS = [
  "orders_confirmed",
  "orders_rejected",
  "orders_failed",
  "rename_never_visible",
  "orders_eventually_confirmed",
  "orders_lost",
] as const;

export interface PhaseSummary {
  phase: string;
  latency: Percentiles;
  availabilityPercent: number;
  requests: number;
}

export interface ModeSummary {
  mode: string;
  /** First and last sample of this mode: the window CPU is attributed to. */
  window: TimeWindow;
  latencyMetric: string;
  latency: Percentiles;
  stalenessMetric?: string;
  staleness?: Percentiles;
  stalenessCdf?: { value: number; fraction: number }[];
  requests: number;
  requestsPerSecond: number;
  /** Completed iterations (`iterations` points). */
  iterations: number;
  iterationsPerSecond: number;
  dropped: number;
  /** Percentage of this mode's requests answered 2xx. */
  availabilityPercent: number;
  availabilitySeries: AvailabilitySecond[];
  phases: PhaseSummary[];
  counters: Record<string, number>;
  /** Storefront only: p99 and throughput per arrival-rate step, and the knee. */
  steps?: StepMeasurement[];
  knee?: Knee;
}

const sum = (points: readonly Point[]) => points.reduce((total, p) => total + p.value, 0);

/**
 * Summarises one run's points per mode. `t0` anchors the per-second availability series (the
 * run's first sample), so fault times recorded on the same clock line up with it.
 */
export const summariseModes = (points: readonly Point[], choice: MetricChoice, kneeThresholdMs: number): ModeSummary[] => {
  const modeOf = modeResolver(points);
  const byMode = new Map<string, Point[]>();
  for (const point of points) {
    const mode = modeOf(point);
    if (mode === undefined) continue;
    const own = byMode.get(mode);
    if (own) own.push(point);
    else byMode.set(mode, [point]);
  }
  const t0 = extent(points.map((p) => p.time))[0];
  return [...byMode.entries()].map(([mode, own]) => {
    const of = (metric: string) => own.filter((p) => p.metric === metric);
    const [start, end] = extent(own.map((p) => p.time));
    const seconds = Math.max(1, (end - start) / 1_000);
    const requests = of("http_reqs");
    const durations = of("http_req_duration");
    const latencyPoints = of(choice.latency).length > 0 ? of(choice.latency) : durations;
    const stalenessPoints = choice.staleness ? of(choice.staleness) : [];
    const iterations = of("iterations");
    const phases = [...new Set(requests.map((p) => p.tags.phase).filter((p): p is string => p !== undefined))].map((phase) => ({
      phase,
      latency: percentiles(durations.filter((p) => p.tags.phase === phase).map((p) => p.value)),
      availabilityPercent: availability(requests.filter((p) => p.tags.phase === phase)),
      requests: requests.filter((p) => p.tags.phase === phase).length,
    }));
    const counters: Record<string, number> = {};
    for (const name of SCRIPT_COUNTERS) if (of(name).length > 0) counters[name] = sum(of(name));
    const steps = durations.some((p) => p.tags.step !== undefined) ? measureSteps(durations, iterations) : undefined;
    return {
      mode,
      window: { start, end },
      latencyMetric: of(choice.latency).length > 0 ? choice.latency : "http_req_duration",
      latency: percentiles(latencyPoints.map((p) => p.value)),
      ...(stalenessPoints.length > 0
        ? { stalenessMetric: choice.staleness!, staleness: percentiles(stalenessPoints.map((p) => p.value)), stalenessCdf: cdf(stalenessPoints.map((p) => p.value)) }
        : {}),
      requests: requests.length,
      requestsPerSecond: requests.length / seconds,
      iterations: iterations.length,
      iterationsPerSecond: iterations.length / seconds,
      dropped: sum(of("dropped_iterations")),
      availabilityPercent: availability(requests),
      availabilitySeries: availabilityPerSecond(requests, t0),
      phases,
      counters,
      ...(steps ? { steps, knee: findKnee(steps, kneeThresholdMs) } : {}),
    };
  });
};
