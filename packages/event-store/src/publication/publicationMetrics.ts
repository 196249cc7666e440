import type { EventEnvelope } from "@bazaar/core";
import { metricsOn, observeAges } from "@bazaar/runtime";
import type { Registry } from "prom-client";

export type PublicationPath = "fast" | "relay";

/** Publication lag (stored → acknowledged by JetStream) and what the relay had to finish. */
export interface PublicationMetrics {
  published(events: readonly EventEnvelope[], path: PublicationPath): void;
  failed(path: PublicationPath): void;
}

export const createPublicationMetrics = (registry: Registry): PublicationMetrics => {
  const metrics = metricsOn(registry);
  const lag = metrics.histogram(
    "bazaar_publication_lag_seconds",
    "Time from an event's recording to its acknowledgement by JetStream",
    ["path"],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  );
  const events = metrics.counter("bazaar_published_events_total", "Events published", ["path"]);
  const failures = metrics.counter("bazaar_publication_failures_total", "Publish attempts that failed", ["path"]);
  return {
    published(published, path) {
      observeAges(
        lag,
        { path },
        published.map((event) => event.recordedAt),
      );
      events.inc({ path }, published.length);
    },
    failed: (path) => failures.inc({ path }),
  };
};

export const noPublicationMetrics: PublicationMetrics = { published() {}, failed() {} };
