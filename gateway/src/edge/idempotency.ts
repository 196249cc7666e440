import { UnavailableError } from "@bazaar/core";
import type { Logger } from "@bazaar/runtime";
import type cassandra from "cassandra-driver";
import type { Request, RequestHandler, Response } from "express";
import { createHash, randomUUID } from "node:crypto";
import { sendProblem } from "../http/problem.js";
import { principalOf } from "./auth.js";
import { createCassandraIdempotencyStore, type Claim, type IdempotencyStore, type StoredResponse } from "./idempotencyStore.js";

export { createCassandraIdempotencyStore, ensureIdempotencySchema } from "./idempotencyStore.js";

export interface IdempotencyOptions {
  store: IdempotencyStore;
  logger: Logger;
  /**
   * An in-progress key older than this is presumed abandoned (its gateway died mid-request, or
   * its claim landed while the answer was lost in a store outage) and may be taken over by a
   * retry. Keep it above the slowest request: the request budget bounds every one, sagas included.
   */
  leaseMs?: number;
  /** Seconds a caller is told to wait (Retry-After) while the first request is still running. */
  retryAfterSeconds?: number;
  /**
   * How long the response may wait for its outcome to be stored (default: as long as it takes):
   * the rest of the request's time budget. Past it the response goes out and storing goes on;
   * should that fail, the key stays in progress until its lease runs out.
   */
  settleWithinMs?: () => number;
}

/** The response headers worth replaying; the rest (date, etag, security headers) are produced anew. */
const REPLAYED_HEADERS = ["content-type", "location", "x-consistency-token"];

/** 1–200 printable ASCII characters. */
const VALID_KEY = /^[\x20-\x7e]{1,200}$/;

/** JSON with object keys sorted at every depth: equal bodies fingerprint equally whatever their key order. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
};

/** What the key promises to mean: this method on this path (query included) with this body. */
export const requestFingerprint = (req: Pick<Request, "method" | "originalUrl" | "body">): string =>
  createHash("sha256")
    .update(`${req.method}\n${req.originalUrl}\n${req.body === undefined ? "" : canonicalJson(req.body)}`)
    .digest("hex");

const toBuffer = (chunk: unknown, encoding?: unknown): Buffer => {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
};

type End = (chunk?: unknown, encoding?: unknown, callback?: unknown) => Response;
type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;

/**
 * Lets `settle` see (and persist) the final response before it leaves: the body is collected
 * from `write`/`end` (express 5's json → send → end all pass through them) and `end` is held
 * until `settle` resolves, so a client that has the response can replay it at once.
 */
const captureResponse = (res: Response, settle: (response: StoredResponse) => Promise<void>, settleWithinMs: () => number) => {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as Write;
  const end = res.end.bind(res) as End;
  (res as unknown as { write: Write }).write = (chunk, encoding, callback) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function") chunks.push(toBuffer(chunk, encoding));
    return write(chunk, encoding, callback);
  };
  (res as unknown as { end: End }).end = (chunk, encoding, callback) => {
    // Restore first: whatever happens next, end runs once and for real.
    (res as unknown as { write: Write }).write = write;
    (res as unknown as { end: End }).end = end;
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function") chunks.push(toBuffer(chunk, encoding));
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = res.getHeader(name);
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
    }
    const settled = settle({ status: res.statusCode, headers, body: Buffer.concat(chunks) });
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, settleWithinMs()))));
    void Promise.race([settled, bounded]).finally(() => {
      clearTimeout(timer);
      end(chunk, encoding, callback);
    });
    return res;
  };
};

const replay = (res: Response, response: StoredResponse) => {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader("Idempotent-Replayed", "true");
  res.setHeader("Content-Length", response.body.length);
  res.end(response.body);
};

/**
 * `Idempotency-Key` on POST: the first request with a key runs, and its final response is
 * stored; a retry with the same key and the same request gets that response again
 * (`Idempotent-Replayed: true`) without running anything. Same key, other request → 422; same
 * key while the first still runs → 409 + Retry-After. A 5xx frees the key so the request can be
 * retried; a 4xx is an answer and is kept. Keys are scoped by the principal's subject, so mount
 * after `authenticate` and after the JSON body parser (the body is part of the fingerprint).
 */
export const idempotency = (options: IdempotencyOptions): RequestHandler => {
  const { store, logger } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const settleWithinMs = options.settleWithinMs ?? (() => 2_147_483_647);

  const run = (req: Request, res: Response, scope: string, key: string, claim: Claim) => {
    captureResponse(
      res,
      async (response) => {
        try {
          if (response.status >= 500) await store.release(scope, key, claim.owner);
          else if (!(await store.complete(scope, key, claim, response)))
            logger.warn({ key, scope }, "idempotency key was taken over before its response was stored");
        } catch (error) {
          // The response still goes out; the key stays in progress until its lease runs out.
          logger.error({ err: error, key, scope, path: req.originalUrl }, "could not store the idempotent response");
        }
      },
      settleWithinMs,
    );
  };

  return (req, res, next) => {
    const key = req.get("idempotency-key");
    if (req.method !== "POST" || key === undefined) return next();
    if (!VALID_KEY.test(key)) {
      return sendProblem(res, {
        type: "/problems/validation",
        title: "Invalid request",
        status: 400,
        detail: "Idempotency-Key must be 1 to 200 printable ASCII characters",
        errors: [{ field: "Idempotency-Key", message: "must be 1 to 200 printable ASCII characters" }],
        instance: req.originalUrl,
      });
    }
    const scope = principalOf(res)?.subject ?? "anonymous";
    const claim: Claim = { owner: randomUUID(), fingerprint: requestFingerprint(req), now: new Date() };

    let proceeded = false;
    const proceed = () => {
      proceeded = true;
      run(req, res, scope, key, claim);
      next();
    };
    const decide = async () => {
      const result = await store.claim(scope, key, claim);
      if (result.acquired) return proceed();
      const { record } = result;
      if (record.fingerprint !== claim.fingerprint) {
        return sendProblem(res, {
          type: "/problems/idempotency-key-reused",
          title: "Idempotency key reused",
          status: 422,
          detail: "this Idempotency-Key was already used with a different request (method, path or body)",
          instance: req.originalUrl,
        });
      }
      if (record.state === "done") return replay(res, record.response);
      if (claim.now.getTime() - record.createdAt.getTime() > leaseMs && (await store.takeOver(scope, key, record.owner, claim))) {
        logger.warn({ key, scope, previousOwner: record.owner }, "took over an abandoned idempotency key");
        return proceed();
      }
      res.setHeader("Retry-After", retryAfter);
      sendProblem(res, {
        type: "/problems/idempotency-key-in-use",
        title: "Request in progress",
        status: 409,
        detail: "a request with this Idempotency-Key is still being processed; retry later for its response",
        instance: req.originalUrl,
      });
    };
    decide().catch((error: unknown) => {
      if (proceeded) return logger.error({ err: error, path: req.originalUrl }, "idempotent request failed after it started");
      next(new UnavailableError("the idempotency store is unavailable", { cause: error }));
    });
  };
};

/** The middleware over the gateway's Cassandra keyspace: one line at the composition root. */
export const cassandraIdempotency = (options: {
  client: cassandra.Client;
  keyspace: string;
  ttlSeconds: number;
  logger: Logger;
  leaseMs?: number;
  settleWithinMs?: () => number;
}): RequestHandler =>
  idempotency({
    store: createCassandraIdempotencyStore(options.client, options.keyspace, { ttlSeconds: options.ttlSeconds }),
    logger: options.logger,
    ...(options.settleWithinMs === undefined ? {} : { settleWithinMs: options.settleWithinMs }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
