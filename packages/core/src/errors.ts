/**
 * The failures every edge knows how to translate (gRPC status, problem+json).
 * Each is its own class so callers and circuit breakers can tell a bad request from an outage.
 */
export abstract class BazaarError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type ErrorKind = "validation" | "not-found" | "already-exists" | "concurrency" | "rule-violation" | "unavailable" | "timeout";

/** One offending input: a dotted path to the field and what is wrong with it. */
export interface FieldViolation {
  field: string;
  message: string;
}

/** The input is malformed; nothing was changed. */
export class ValidationError extends BazaarError {
  readonly kind = "validation";
  constructor(readonly violations: readonly FieldViolation[]) {
    super(violations.map((v) => `${v.field}: ${v.message}`).join("; "));
  }
}

export class NotFoundError extends BazaarError {
  readonly kind = "not-found";
}

export class AlreadyExistsError extends BazaarError {
  readonly kind = "already-exists";
}

/** Another writer appended to the stream first; reload and retry, or give up. */
export class ConcurrencyError extends BazaarError {
  readonly kind = "concurrency";
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    options?: ErrorOptions & { message?: string },
  ) {
    super(options?.message ?? `stream ${streamId} is no longer at version ${expectedVersion}`, options);
  }
}

/** The command is well-formed but the aggregate's rules refuse it in its current state. */
export class RuleViolationError extends BazaarError {
  readonly kind = "rule-violation";
}

/** A dependency is down or timed out; retrying later may succeed. */
export class UnavailableError extends BazaarError {
  readonly kind = "unavailable";
}

/** A dependency did not answer in time; the outcome of the call is unknown. */
export class TimeoutError extends BazaarError {
  readonly kind = "timeout";
}

export const isBazaarError = (error: unknown): error is BazaarError => error instanceof BazaarError;
