// The guard itself lives in @bazaar/runtime (every caller of a context uses it); the gateway adds its /metrics handler.
export {
  BudgetSpentError,
  BulkheadFullError,
  CircuitOpenError,
  createResilience,
  DEFAULT_RESILIENCE_SETTINGS,
  isClientError,
  isTransient,
  resilienceMiddleware,
  wasNotAttempted,
  type BreakerState,
  type Resilience,
  type ResilienceSettings,
  type ResilienceSummary,
} from "@bazaar/runtime";
export { metricsHandler } from "./metricsHandler.js";
