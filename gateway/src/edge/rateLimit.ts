import { createHash } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";

export interface RateLimitOptions {
  /** Requests each key may make per window. */
  limit: number;
  windowMs: number;
  /** Whom a request counts against. */
  key: (req: Request, res: Response) => string;
  /** Requests never counted (probes, scrapes). */
  skip: (req: Request) => boolean;
  /** Answers a request over the limit; its RateLimit headers and Retry-After are already set. */
  refuse: (req: Request, res: Response) => void;
}

/** One key's window: hits so far and when the window ends. */
interface Window {
  hits: number;
  resetAt: number;
  /** The `pk` of RateLimit-Policy: derived from the key, so hashed once per key, not per request. */
  partitionKey: string;
}

/**
 * The draft-8 (IETF RateLimit headers) partition key, as express-rate-limit writes it: the first
 * 12 hex digits of the key's SHA-256, base64-encoded — the key itself (a subject, an IP) stays private.
 */
export const partitionKeyOf = (key: string): string => Buffer.from(createHash("sha256").update(key).digest("hex").slice(0, 12)).toString("base64");

/** The policy's name in the headers, as express-rate-limit names it: `600-in-1min`. */
export const policyName = (limit: number, windowMs: number): string => {
  const seconds = windowMs / 1000;
  const minutes = seconds / 60;
  const hours = minutes / 60;
  const days = hours / 24;
  if (seconds < 60) return `${limit}-in-${seconds}sec`;
  if (minutes < 60) return `${limit}-in-${minutes}min`;
  if (hours < 24) return `${limit}-in-${hours}hr${hours > 1 ? "s" : ""}`;
  return `${limit}-in-${days}day${days > 1 ? "s" : ""}`;
};

/**
 * Fixed windows per key, in memory. Two generations of windows: a window used in the current
 * period is in `current`; at each turn (one window length apart, on the first request after it)
 * `current` becomes `previous` and whatever was left in `previous` — not used for a whole period,
 * so surely expired — is dropped. No timer: nothing to stop.
 */
class FixedWindows {
  private current = new Map<string, Window>();
  private previous = new Map<string, Window>();
  private turnedAt: number;

  constructor(private readonly windowMs: number) {
    this.turnedAt = Date.now();
  }

  /** Counts one hit against the key: its window after the hit. */
  hit(key: string, now: number): Window {
    if (now - this.turnedAt >= this.windowMs) {
      this.previous = this.current;
      this.current = new Map();
      this.turnedAt = now;
    }
    let window = this.current.get(key);
    if (window === undefined) {
      window = this.previous.get(key) ?? { hits: 0, resetAt: now + this.windowMs, partitionKey: partitionKeyOf(key) };
      this.previous.delete(key);
      this.current.set(key, window);
    }
    if (window.resetAt <= now) {
      window.hits = 0;
      window.resetAt = now + this.windowMs;
    }
    window.hits++;
    return window;
  }
}

/**
 * A per-key request limit with the IETF draft-8 RateLimit headers, the same headers and the same
 * fixed windows express-rate-limit (with its memory store) answered before. This one is synchronous
 * and hashes each key once: express-rate-limit's middleware awaited half a dozen promises and
 * computed a SHA-256 of the key for every response (docs/benchmarks.md §5i).
 */
export const fixedWindowLimit = (options: RateLimitOptions): RequestHandler => {
  const windows = new FixedWindows(options.windowMs);
  const name = `"${policyName(options.limit, options.windowMs)}"`;
  const windowSeconds = Math.ceil(options.windowMs / 1000);
  return (req, res, next) => {
    if (options.skip(req)) return next();
    const now = Date.now();
    const window = windows.hit(options.key(req, res), now);
    const remaining = Math.max(options.limit - window.hits, 0);
    const resetSeconds = Math.max(0, Math.ceil((window.resetAt - now) / 1000));
    if (!res.headersSent) {
      res.append("RateLimit", `${name}; r=${remaining}; t=${resetSeconds}`);
      res.append("RateLimit-Policy", `${name}; q=${options.limit}; w=${windowSeconds}; pk=:${window.partitionKey}:`);
    }
    if (window.hits <= options.limit) return next();
    if (!res.headersSent) res.setHeader("Retry-After", String(resetSeconds));
    options.refuse(req, res);
  };
};
