import type { Readiness, ReadinessReport } from "./readiness.js";

/**
 * `/readyz` is public and each check fans out to every downstream's health service (eight
 * calls): answered from one shared check at most `maxAgeMs` old, a flood of probes costs the
 * downstreams one check per interval, and concurrent probes wait for the same one in flight.
 */
export const cachedReadiness = (inner: Readiness, maxAgeMs = 1000, now: () => number = Date.now): Readiness => {
  let last: { at: number; report: ReadinessReport } | undefined;
  let inFlight: Promise<ReadinessReport> | undefined;
  return {
    check() {
      if (last && now() - last.at < maxAgeMs) return Promise.resolve(last.report);
      inFlight ??= inner.check().then(
        (report) => {
          last = { at: now(), report };
          inFlight = undefined;
          return report;
        },
        (error: unknown) => {
          inFlight = undefined;
          throw error;
        },
      );
      return inFlight;
    },
    close: () => inner.close(),
  };
};
