import { isBazaarError, TimeoutError, UnavailableError } from "@bazaar/core";

/** The service's circuit is open: the call was not attempted (HTTP 503 + Retry-After). */
export class CircuitOpenError extends UnavailableError {}

/** Too many calls to the service are in flight: the call was not attempted (HTTP 503). */
export class BulkheadFullError extends UnavailableError {}

/** The request's time budget was spent before the call: it was not attempted (HTTP 504). */
export class BudgetSpentError extends TimeoutError {}

/** The call never left the gateway, so it changed nothing downstream (a saga need not undo it). */
export const wasNotAttempted = (error: unknown): boolean =>
  error instanceof CircuitOpenError || error instanceof BulkheadFullError || error instanceof BudgetSpentError;

/**
 * The caller's fault or a business answer, not the service's: it passes through, never counts
 * against the breaker and is never retried (STYLE: a bad request never looks like an outage).
 */
export const isClientError = (error: unknown): boolean => isBazaarError(error) && error.kind !== "unavailable" && error.kind !== "timeout";

/** Worth another attempt, if the call is idempotent: the service may not have acted, or may do better next time. */
export const isTransient = (error: unknown): boolean =>
  isBazaarError(error) &&
  (error.kind === "unavailable" || error.kind === "timeout") &&
  !(error instanceof CircuitOpenError) &&
  !(error instanceof BulkheadFullError);
