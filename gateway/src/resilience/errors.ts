import { isBazaarError, UnavailableError } from "@bazaar/core";

/** The service's circuit is open: the call was not attempted (HTTP 503 + Retry-After). */
export class CircuitOpenError extends UnavailableError {}

/** Too many calls to the service are in flight: the call was not attempted (HTTP 503). */
export class BulkheadFullError extends UnavailableError {}

/**
 * The caller's fault or a business answer, not the service's: it passes through, never counts
 * against the breaker and is never retried (STYLE: a bad request never looks like an outage).
 */
export const isClientError = (error: unknown): boolean =>
  isBazaarError(error) && error.kind !== "unavailable" && error.kind !== "timeout";

/** Worth another attempt, if the call is idempotent: the service may not have acted, or may do better next time. */
export const isTransient = (error: unknown): boolean =>
  isBazaarError(error) && (error.kind === "unavailable" || error.kind === "timeout") && !(error instanceof CircuitOpenError) && !(error instanceof BulkheadFullError);
