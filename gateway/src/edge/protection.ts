import type { Request, RequestHandler, Response } from "express";
import { ipKeyGenerator } from "express-rate-limit";
import helmet from "helmet";
import { jsonBodyParser } from "../http/jsonBody.js";
import { sendProblem } from "../http/problem.js";
import { principalOf } from "./auth.js";
import { exceedsDepth, MAX_JSON_DEPTH } from "./jsonDepth.js";
import { fixedWindowLimit } from "./rateLimit.js";

export interface ProtectionConfig {
  rateLimit: {
    /** Requests each client may make per window; 0 turns rate limiting off. */
    limit: number;
    /**
     * Requests each IP address may make per window, authenticated or not (mount before
     * `authenticate`: floods of bad tokens count too); 0 turns it off.
     */
    ipLimit?: number;
    windowMs: number;
    /** Paths never limited (probes, scrapes). */
    skipPaths?: readonly string[];
  };
  /** Largest JSON body accepted (express/bytes syntax: "64kb"); larger → 413 problem+json. */
  bodyLimit: string;
  /** Where swagger-ui is served: gets a CSP that lets it run. Default "/docs". */
  docsPath?: string;
}

export interface Protection {
  /** Security headers (helmet): a locked-down CSP for JSON, a swagger-ui-compatible one under the docs path. */
  headers: RequestHandler;
  /** Per-client limit: the principal's subject when authenticated (mount after `authenticate`), else the IP. */
  rateLimit: RequestHandler;
  /** Per-IP limit in front of authentication. */
  ipRateLimit: RequestHandler;
  /**
   * JSON body parser with the size limit (parse errors and 413 reach `problemHandler`) and a
   * nesting limit (400), both before anything else reads the body.
   */
  json: RequestHandler;
}

const DEFAULT_SKIP = ["/healthz", "/readyz", "/metrics"];

/**
 * The headers a helmet middleware sets (and removes), recorded once and replayed on every
 * response: with no directive computed per request they never change, and replaying them is a
 * loop instead of helmet's chain of a dozen middleware calls per request. A helmet that did not
 * finish synchronously (a directive computed per request) is refused at startup.
 */
export const recordedHeaders = (middleware: RequestHandler): RequestHandler => {
  const set: [string, number | string | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: number | string | readonly string[]) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let finished = false;
  void middleware({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error !== undefined) throw new Error("the security headers middleware failed", { cause: error });
    finished = true;
  });
  if (!finished) throw new Error("the security headers middleware did not finish at once: its headers cannot be recorded");
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
};

/** Nothing a JSON response does needs a resource: deny all, and framing too. */
const apiHeaders = recordedHeaders(
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  }),
);

/** swagger-ui: its own scripts and styles (it injects inline styles, the initializer may be inline), data: images, calls to the API. */
const docsHeaders = recordedHeaders(
  helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        // The gateway is reached over plain http locally; upgrading would break the page there.
        upgradeInsecureRequests: null,
      },
    },
  }),
);

/** The gateway's edge protections, each a middleware the composition root mounts. */
export const protection = (config: ProtectionConfig): Protection => {
  const docsPath = config.docsPath ?? "/docs";
  const skip = new Set(config.rateLimit.skipPaths ?? DEFAULT_SKIP);

  const headers: RequestHandler = (req, res, next) =>
    req.path === docsPath || req.path.startsWith(`${docsPath}/`) ? docsHeaders(req, res, next) : apiHeaders(req, res, next);

  const tooMany = (limit: number) => (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) =>
    // Retry-After and RateLimit/RateLimit-Policy are already set when this runs.
    sendProblem(res, {
      type: "/problems/rate-limited",
      title: "Too many requests",
      status: 429,
      detail: `at most ${limit} requests per ${Math.round(config.rateLimit.windowMs / 1000)} s; retry after ${String(res.getHeader("Retry-After") ?? "a while")} s`,
      instance: req.originalUrl,
    });
  // IPv6 clients are grouped by /56 so one host cannot rotate through its prefix.
  const ipKey = (req: Parameters<RequestHandler>[0]) => `ip:${ipKeyGenerator(req.ip ?? "unknown")}`;
  const limiterOf = (limit: number, key: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => string): RequestHandler =>
    limit <= 0
      ? (_req, _res, next) => next()
      : fixedWindowLimit({ limit, windowMs: config.rateLimit.windowMs, key, skip: (req) => skip.has(req.path), refuse: tooMany(limit) });

  const limiter = limiterOf(config.rateLimit.limit, (req, res) => {
    const principal = principalOf(res);
    return principal ? `sub:${principal.subject}` : ipKey(req);
  });
  const ipLimiter = limiterOf(config.rateLimit.ipLimit ?? 0, ipKey);

  const parse = jsonBodyParser(config.bodyLimit);
  const json: RequestHandler = (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      if (!exceedsDepth(req.body)) return next();
      sendProblem(res, {
        type: "/problems/too-deep",
        title: "JSON nested too deeply",
        status: 400,
        detail: `the body nests deeper than ${MAX_JSON_DEPTH} levels`,
        instance: req.originalUrl,
      });
    });

  return { headers, rateLimit: limiter, ipRateLimit: ipLimiter, json };
};
