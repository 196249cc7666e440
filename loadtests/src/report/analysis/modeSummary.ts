import { availability, availabilityPerSecond, type AvailabilitySecond } from "./availability.js";
import { findKnee, measureSteps, type Knee, type StepMeasurement } from "./knee.js";
import { modeResolver, type Point } from "./points.js";
import { cdf, extent, percentiles, type Percentiles } from "./stats.js";
import type { TimeWindow } from "./cpu.js";

/** Which metrics of a scenario the report reads as its latency and its staleness. */
export interface MetricChoice {
  latency: string;
  staleness?: string;
  /** Further trends summarised per mode, e.g. the staleness of one read model alone. */
  trends?: string[];
}

/** Which trends a scenario's latency and staleness are (the scripts' own metrics). */
export const METRICS_OF: Record<string, MetricChoice> = {
  orders: { latency: "order_ack_duration", staleness: "order_confirmed_duration" },
  // rename_staleness waits for the order view and the history; the target speaks of the order view alone.
  rename: { latency: "rename_ack_duration", staleness: "rename_staleness", trends: ["rename_staleness_order_view", "rename_staleness_history"] },
  orderDetails: { latency: "order_details_duration" },
  storefront: { latency: "http_req_duration" },
  faults: { latency: "order_answer_duration", staleness: "order_settle_duration" },
};

/** The counters scripts add besides k6's built-ins; summed per mode when present. */
export const SCRIPT_COUNTERS = [
  "orders_confirmed",
  "orders_rejected",
  "orders_failed",
  "rename_never_visible",
  "rename_superseded",
  "rename_conflicts",
  "rename_failed",
  "orders_eventually_confirmed",
  "orders_eventually_rejected",
  "orders_lost",
] as const;

/**
 * Requests tagged with these `op`s are the scripts' probes — polling until an order is CONFIRMED
 * or a rename is visible — whose 404s are expected; availability counts only the operations.
 */
export const PROBE_OPS = new Set(["poll", "order view", "history"]);

export interface PhaseSummary {
  phase: string;
  latency: Percentiles;
  availabilityPercent: number;
  requests: number;
  /** Share of answers marked degraded (the script's `degraded` Rate), where the script records it. */
  degradedPercent?: number;
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
  /** Every HTTP request of the mode, probes included. */
  requests: number;
  requestsPerSecond: number;
  /** Completed iterations (`iterations` points). */
  iterations: number;
  iterationsPerSecond: number;
  dropped: number;
  /** Percentage of this mode's requests answered 2xx, probes (PROBE_OPS) left out. */
  availabilityPercent: number;
  availabilitySeries: AvailabilitySecond[];
  phases: PhaseSummary[];
  counters: Record<string, number>;
  /** Percentiles of the scenario's further trends (MetricChoice.trends) that have samples. */
  trends: Record<string, Percentiles>;
  /** Storefront only: p99 and throughput per arrival-rate step, and the knee. */
  steps?: StepMeasurement[];
  knee?: Knee;
}

const sum = (points: readonly Point[]) => points.reduce((total, p) => total + p.value, 0);

/** The first sample that belongs to a mode: where the scenarios start, setup's requests left out. */
export const scenariosStart = (points: readonly Point[]): number => {
  const modeOf = modeResolver(points);
  return extent(points.filter((p) => modeOf(p) !== undefined).map((p) => p.time))[0];
};

/**
 * Summarises one run's points per mode. The per-second availability series counts from the
 * scenarios' start (`scenariosStart`), so fault times recorded on the same clock line up with it.
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
  const t0 = scenariosStart(points);
  return [...byMode.entries()].map(([mode, own]) => {
    const of = (metric: string) => own.filter((p) => p.metric === metric);
    const [start, end] = extent(own.map((p) => p.time));
    const seconds = Math.max(1, (end - start) / 1_000);
    const allRequests = of("http_reqs");
    const requests = allRequests.filter((p) => !PROBE_OPS.has(p.tags.op ?? ""));
    const durations = of("http_req_duration");
    const latencyPoints = of(choice.latency).length > 0 ? of(choice.latency) : durations;
    const stalenessPoints = choice.staleness ? of(choice.staleness) : [];
    const iterations = of("iterations");
    const phases = [...new Set(requests.map((p) => p.tags.phase).filter((p): p is string => p !== undefined))].map((phase) => {
      const degraded = of("degraded").filter((p) => p.tags.phase === phase);
      return {
        phase,
        latency: percentiles(durations.filter((p) => p.tags.phase === phase && !PROBE_OPS.has(p.tags.op ?? "")).map((p) => p.value)),
        availabilityPercent: availability(requests.filter((p) => p.tags.phase === phase)),
        requests: requests.filter((p) => p.tags.phase === phase).length,
        ...(degraded.length > 0 ? { degradedPercent: (100 * degraded.filter((p) => p.value !== 0).length) / degraded.length } : {}),
      };
    });
    const trends: Record<string, Percentiles> = {};
    for (const name of choice.trends ?? []) if (of(name).length > 0) trends[name] = percentiles(of(name).map((p) => p.value));
    const counters: Record<string, number> = {};
    for (const name of SCRIPT_COUNTERS) if (of(name).length > 0) counters[name] = sum(of(name));
    const steps = durations.some((p) => p.tags.step !== undefined) ? measureSteps(durations, iterations, of("http_req_failed")) : undefined;
    return {
      mode,
      window: { start, end },
      latencyMetric: of(choice.latency).length > 0 ? choice.latency : "http_req_duration",
      latency: percentiles(latencyPoints.map((p) => p.value)),
      ...(stalenessPoints.length > 0
        ? {
            stalenessMetric: choice.staleness!,
            staleness: percentiles(stalenessPoints.map((p) => p.value)),
            stalenessCdf: cdf(stalenessPoints.map((p) => p.value)),
          }
        : {}),
      requests: allRequests.length,
      requestsPerSecond: allRequests.length / seconds,
      iterations: iterations.length,
      iterationsPerSecond: iterations.length / seconds,
      dropped: sum(of("dropped_iterations")),
      availabilityPercent: availability(requests),
      availabilitySeries: availabilityPerSecond(requests, t0),
      phases,
      counters,
      trends,
      ...(steps ? { steps, knee: findKnee(steps, kneeThresholdMs) } : {}),
    };
  });
};
