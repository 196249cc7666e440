import type { EventEnvelope } from "@bazaar/core";
import { Counter, Histogram, type Registry } from "prom-client";

export type PublicationPath = "fast" | "relay";

/** Publication lag (stored → acknowledged by JetStream) and what the relay had to finish. */
export interface PublicationMetrics {
  published(events: readonly EventEnvelope[], path: PublicationPath): void;
  failed(path: PublicationPath): void;
}

export const createPublicationMetrics = (registry: Registry): PublicationMetrics => {
  const lag = new Histogram({
    name: "bazaar_publication_lag_seconds",
    help: "Time from an event's recording to its acknowledgement by JetStream",
    labelNames: ["path"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const events = new Counter({ name: "bazaar_published_events_total", help: "Events published", labelNames: ["path"], registers: [registry] });
  const failures = new Counter({
    name: "bazaar_publication_failures_total",
    help: "Publish attempts that failed",
    labelNames: ["path"],
    registers: [registry],
  });
  return {
    published(published, path) {
      const now = Date.now();
      for (const event of published) lag.observe({ path }, (now - event.recordedAt.getTime()) / 1000);
      events.inc({ path }, published.length);
    },
    failed(path) {
      failures.inc({ path });
    },
  };
};

export const noPublicationMetrics: PublicationMetrics = { published() {}, failed() {} };
