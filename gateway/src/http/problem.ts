import { isBazaarError, ValidationError, type ErrorKind, type FieldViolation } from "@bazaar/core";
import type { ErrorRequestHandler, Response } from "express";
import { asDependencyFailure, type Logger } from "@bazaar/runtime";
import { ForbiddenError } from "../edge/ownership.js";

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: readonly FieldViolation[];
}

/** The one table from typed errors to HTTP. */
const httpByKind: Record<ErrorKind, { status: number; title: string }> = {
  validation: { status: 400, title: "Invalid request" },
  "not-found": { status: 404, title: "Not found" },
  "already-exists": { status: 409, title: "Already exists" },
  concurrency: { status: 409, title: "Concurrent modification" },
  "rule-violation": { status: 409, title: "Rejected by a business rule" },
  unavailable: { status: 503, title: "Service unavailable" },
  timeout: { status: 504, title: "Downstream timeout" },
};

export const sendProblem = (res: Response, problem: Problem): void => {
  res.status(problem.status).type("application/problem+json").json(problem);
};

const problemType = (slug: string) => `/problems/${slug}`;

/**
 * What an outage says to the caller: the kind of failure, never the driver's text (it names
 * internal hosts, ports, keyspaces). The full error goes to the log.
 */
const OUTAGE_DETAIL: Partial<Record<ErrorKind, string>> = {
  unavailable: "a service this request needs is unavailable; retry after the Retry-After delay",
  timeout: "a service this request needs did not answer in time",
};

/** Maps anything thrown by a route to problem+json; unknown errors are logged and hidden. */
export const problemHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error: unknown, req, res, _next) => {
    const instance = req.originalUrl;
    // The gateway's own stores (idempotency keys, saga log) fail like any dependency: 503/504.
    const typed = isBazaarError(error) ? error : asDependencyFailure(error);
    if (typed) {
      const { status, title } = httpByKind[typed.kind];
      if (typed.kind === "unavailable") res.setHeader("Retry-After", "5");
      const outage = OUTAGE_DETAIL[typed.kind];
      if (typed !== error || outage) logger.warn({ err: error, path: instance }, "dependency failed");
      sendProblem(res, {
        type: problemType(typed.kind),
        title,
        status,
        detail: outage ?? typed.message,
        instance,
        ...(typed instanceof ValidationError ? { errors: typed.violations } : {}),
      });
      return;
    }
    if (error instanceof ForbiddenError) {
      sendProblem(res, { type: "/problems/forbidden", title: "Forbidden", status: 403, detail: error.message, instance });
      return;
    }
    const httpError = error as { status?: number; type?: string; message?: string };
    // Errors raised by express's body parser carry their own 4xx status.
    if (typeof httpError.status === "number" && httpError.status >= 400 && httpError.status < 500) {
      const title = httpError.type === "entity.parse.failed" ? "Malformed JSON" : (httpError.message ?? "Bad request");
      sendProblem(res, { type: problemType(httpError.type ?? "bad-request"), title, status: httpError.status, detail: httpError.message ?? title, instance });
      return;
    }
    logger.error({ err: error, path: instance }, "unhandled error");
    sendProblem(res, { type: problemType("internal"), title: "Internal error", status: 500, instance });
  };
