export {
  createResilience,
  DEFAULT_RESILIENCE_SETTINGS,
  type BreakerState,
  type Resilience,
  type ResilienceSettings,
  type ResilienceSummary,
} from "./resilience.js";
export { BudgetSpentError, BulkheadFullError, CircuitOpenError, isClientError, isTransient, wasNotAttempted } from "./errors.js";
export { metricsHandler } from "./metricsHandler.js";
export { resilienceMiddleware } from "./resilienceMiddleware.js";
