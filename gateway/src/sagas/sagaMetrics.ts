import { Counter, type Registry } from "prom-client";
import type { SagaMetrics } from "./sagaEngine.js";

/** Sagas ended, by type and final status: COMPLETED, COMPENSATED (a step refused), FAILED. */
export const createSagaMetrics = (registry: Registry): SagaMetrics => {
  const outcomes = new Counter({
    name: "bazaar_saga_outcomes_total",
    help: "Sagas ended, by type and status",
    labelNames: ["type", "status"],
    registers: [registry],
  });
  return { ended: (type, status) => outcomes.inc({ type, status }) };
};
