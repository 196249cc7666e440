import { metricsOn } from "@bazaar/runtime";
import type { Registry } from "prom-client";
import type { SagaMetrics } from "./sagaEngine.js";

/** Sagas ended, by type and final status: COMPLETED, COMPENSATED (a step refused), FAILED. */
export const createSagaMetrics = (registry: Registry): SagaMetrics => {
  const outcomes = metricsOn(registry).counter("bazaar_saga_outcomes_total", "Sagas ended, by type and status", ["type", "status"]);
  return { ended: (type, status) => outcomes.inc({ type, status }) };
};
