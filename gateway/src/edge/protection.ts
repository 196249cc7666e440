import express, { type RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import helmet from "helmet";
import { sendProblem } from "../http/problem.js";
import { principalOf } from "./auth.js";
import { exceedsDepth, MAX_JSON_DEPTH } from "./jsonDepth.js";

export interface ProtectionConfig {
  rateLimit: {
    /** Requests each client may make per window; 0 turns rate limiting off. */
    limit: number;
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
  /**
   * JSON body parser with the size limit (parse errors and 413 reach `problemHandler`) and a
   * nesting limit (400), both before anything else reads the body.
   */
  json: RequestHandler;
}

const DEFAULT_SKIP = ["/healthz", "/readyz", "/metrics"];

/** Nothing a JSON response does needs a resource: deny all, and framing too. */
const apiHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
});

/** swagger-ui: its own scripts and styles (it injects inline styles, the initializer may be inline), data: images, calls to the API. */
const docsHeaders = helmet({
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
});

/** The gateway's edge protections, each a middleware the composition root mounts. */
export const protection = (config: ProtectionConfig): Protection => {
  const docsPath = config.docsPath ?? "/docs";
  const skip = new Set(config.rateLimit.skipPaths ?? DEFAULT_SKIP);

  const headers: RequestHandler = (req, res, next) =>
    req.path === docsPath || req.path.startsWith(`${docsPath}/`) ? docsHeaders(req, res, next) : apiHeaders(req, res, next);

  const limiter: RequestHandler =
    config.rateLimit.limit <= 0
      ? (_req, _res, next) => next()
      : rateLimit({
          windowMs: config.rateLimit.windowMs,
          limit: config.rateLimit.limit,
          standardHeaders: "draft-8",
          legacyHeaders: false,
          skip: (req) => skip.has(req.path),
          keyGenerator: (req, res) => {
            const principal = principalOf(res);
            // IPv6 clients are grouped by /56 so one host cannot rotate through its prefix.
            return principal ? `sub:${principal.subject}` : `ip:${ipKeyGenerator(req.ip ?? "unknown")}`;
          },
          // Retry-After and RateLimit/RateLimit-Policy are already set when this runs.
          handler: (req, res) =>
            sendProblem(res, {
              type: "/problems/rate-limited",
              title: "Too many requests",
              status: 429,
              detail: `at most ${config.rateLimit.limit} requests per ${Math.round(config.rateLimit.windowMs / 1000)} s; retry after ${String(res.getHeader("Retry-After") ?? "a while")} s`,
              instance: req.originalUrl,
            }),
        });

  const parse = express.json({ limit: config.bodyLimit, strict: true, type: ["application/json", "application/*+json"] });
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

  return { headers, rateLimit: limiter, json };
};
