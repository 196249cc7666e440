import { Counter, Gauge, Histogram, type Registry } from "prom-client";

const PER_METHOD = ["service", "method"] as const;
const PER_OUTCOME = ["service", "method", "outcome"] as const;

/**
 * The guard's metrics, named `<prefix>_…` after the process that calls (`bazaar_gateway`,
 * `bazaar_ordering`): breaker state, attempts by outcome, retries, attempt latency.
 */
export const createResilienceMetrics = (registry: Registry, prefix: string) => {
  const registers = [registry];
  const counter = <Label extends string>(name: string, help: string, labelNames: readonly Label[]) =>
    new Counter({ name: `${prefix}_${name}`, help, labelNames, registers });
  return {
    state: new Gauge({
      name: `${prefix}_breaker_state`,
      help: "Circuit breaker state per downstream method: 0 closed, 1 half-open, 2 open",
      labelNames: PER_METHOD,
      registers,
    }),
    calls: counter(
      "downstream_calls_total",
      "Downstream call attempts by outcome (success, client_error, failure, timeout, short_circuited, bulkhead_full)",
      PER_OUTCOME,
    ),
    retries: counter("downstream_retries_total", "Retries of idempotent downstream calls after unavailable/timeout", PER_METHOD),
    latency: new Histogram({
      name: `${prefix}_downstream_call_duration_seconds`,
      help: "Duration of downstream call attempts that ran (not short-circuited)",
      labelNames: PER_OUTCOME,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
};

export type ResilienceMetrics = ReturnType<typeof createResilienceMetrics>;
