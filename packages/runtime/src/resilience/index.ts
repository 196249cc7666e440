export { createBulkhead, type Bulkhead } from "./bulkhead.js";
export {
  createResilience,
  DEFAULT_RESILIENCE_SETTINGS,
  type BreakerState,
  type Resilience,
  type ResilienceSettings,
  type ResilienceSummary,
} from "./resilience.js";
export { BudgetSpentError, BulkheadFullError, CircuitOpenError, isClientError, isTransient, wasNotAttempted } from "./resilienceErrors.js";
export { resilienceMiddleware } from "./resilienceMiddleware.js";
