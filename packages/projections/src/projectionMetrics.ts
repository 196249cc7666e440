import { metricsOn, observeAges } from "@bazaar/runtime";
import type { Registry } from "prom-client";

/** `repaired`: applied from the event store to fill a gap, before its own message arrived. */
export type ApplyOutcome = "applied" | "repaired" | "duplicate" | "gap" | "dead-lettered" | "failed";

/** Lag and throughput of projectors, labelled by projection. */
export interface ProjectionMetrics {
  outcome(projection: string, outcome: ApplyOutcome, count: number): void;
  /** now − event time, at the moment an event became visible in the read model. */
  applied(projection: string, recordedAt: readonly Date[]): void;
}

export const createProjectionMetrics = (registry: Registry): ProjectionMetrics => {
  const metrics = metricsOn(registry);
  const outcomes = metrics.counter("bazaar_projection_events_total", "Events handled by projectors, by outcome", ["projection", "outcome"]);
  const lag = metrics.histogram(
    "bazaar_projection_lag_seconds",
    "Time from an event's recording to its application in the read model",
    ["projection"],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  );
  return {
    outcome: (projection, outcome, count) => outcomes.inc({ projection, outcome }, count),
    applied: (projection, recordedAt) => observeAges(lag, { projection }, recordedAt),
  };
};

export const noProjectionMetrics: ProjectionMetrics = { outcome() {}, applied() {} };
