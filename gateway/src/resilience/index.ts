export { createResilience, DEFAULT_RESILIENCE_SETTINGS, type BreakerState, type Resilience, type ResilienceSettings, type ResilienceSummary } from "./resilience.js";
export { BulkheadFullError, CircuitOpenError, isClientError, isTransient } from "./errors.js";
export { metricsHandler } from "./metricsHandler.js";
export { guardClient, isIdempotentCall } from "./guardClient.js";
