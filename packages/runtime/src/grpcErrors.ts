import {
  AlreadyExistsError,
  ConcurrencyError,
  isBazaarError,
  NotFoundError,
  RuleViolationError,
  TimeoutError,
  UnavailableError,
  ValidationError,
  type ErrorKind,
  type FieldViolation,
} from "@bazaar/core";
import { Metadata, status, type ServiceError, type StatusObject } from "@grpc/grpc-js";
import { asDependencyFailure } from "./dependencyFailures.js";

/** The one table from typed errors to gRPC status codes. */
const statusByKind: Record<ErrorKind, status> = {
  validation: status.INVALID_ARGUMENT,
  "not-found": status.NOT_FOUND,
  "already-exists": status.ALREADY_EXISTS,
  concurrency: status.ABORTED,
  "rule-violation": status.FAILED_PRECONDITION,
  unavailable: status.UNAVAILABLE,
  timeout: status.DEADLINE_EXCEEDED,
};

/** Field violations ride along as JSON in trailing metadata so the gateway can name fields. */
const VIOLATIONS_KEY = "bazaar-field-violations";

/** A typed error's status; a data store's outage or timeout its own; anything else INTERNAL. */
export const toGrpcStatus = (error: unknown): Partial<StatusObject> => {
  const typed = isBazaarError(error) ? error : asDependencyFailure(error);
  if (!typed) return { code: status.INTERNAL, details: "internal error" };
  const metadata = new Metadata();
  if (typed instanceof ValidationError) metadata.set(VIOLATIONS_KEY, JSON.stringify(typed.violations));
  return { code: statusByKind[typed.kind], details: typed.message, metadata };
};

/** Turns a failed call back into the typed error the server raised. */
export const fromGrpcError = (error: ServiceError): Error => {
  const message = error.details || error.message;
  switch (error.code) {
    case status.INVALID_ARGUMENT: {
      const raw = error.metadata?.get(VIOLATIONS_KEY)[0];
      const violations = raw ? (JSON.parse(String(raw)) as FieldViolation[]) : [{ field: "request", message }];
      return new ValidationError(violations);
    }
    case status.NOT_FOUND:
      return new NotFoundError(message, { cause: error });
    case status.ALREADY_EXISTS:
      return new AlreadyExistsError(message, { cause: error });
    case status.ABORTED:
      return new ConcurrencyError("", -1, { cause: error, message });
    case status.FAILED_PRECONDITION:
      return new RuleViolationError(message, { cause: error });
    case status.DEADLINE_EXCEEDED:
      return new TimeoutError(message, { cause: error });
    case status.UNAVAILABLE:
    case status.RESOURCE_EXHAUSTED:
      return new UnavailableError(message, { cause: error });
    case status.UNAUTHENTICATED:
      // Our own service token refused (SERVICE_AUTH_SECRET differs between processes): the
      // service is unusable to us until that is fixed, which is no fault of our caller.
      return new UnavailableError(`the service refused our service token: ${message}`, { cause: error });
    default:
      return error;
  }
};
