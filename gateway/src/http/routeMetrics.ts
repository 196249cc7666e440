import { REQUEST_DURATION_BUCKETS } from "@bazaar/runtime";
import type { Request, RequestHandler } from "express";
import { Counter, Histogram, type Registry } from "prom-client";
import type { Route } from "../openapi/defineRoute.js";
import { expressPath } from "../openapi/router.js";

/** The gateway's per-route metrics (README, Metrics; deploy/grafana's dashboard reads them). */
export const HTTP_METRIC_NAMES = {
  requests: "bazaar_http_requests_total",
  duration: "bazaar_http_request_duration_seconds",
  reads: "bazaar_gateway_read_consistency_total",
} as const;

/** A request no route of the API matches (404s, the console's files, probes of unknown paths). */
export const UNMATCHED_ROUTE = "other";

interface RouteMatcher {
  template: string;
  method: string;
  pattern: RegExp;
  /** The query parameter choosing sync or async (`flow`, `propagation`), if the route has one. */
  flowParam: string | undefined;
}

const FLOW_PARAMS = ["flow", "propagation"];

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, "\\$&");

const matcherOf = (route: Route): RouteMatcher => {
  const shape = (route.query as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
  return {
    template: route.path,
    method: route.method.toUpperCase(),
    // `/v1/products/{id}` → one path segment per parameter, as express matches it.
    pattern: new RegExp(
      `^${route.path
        .split(/\{[^}]+\}/)
        .map(escapeRegExp)
        .join("[^/]+")}/?$`,
    ),
    flowParam: FLOW_PARAMS.find((name) => name in shape),
  };
};

const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/**
 * Rate, errors and duration per route of the public API, labelled by the route's OpenAPI template
 * (never the raw path: ids would make a series per order), the method, the status class, and for
 * routes that offer both the `flow` they ran (sync or async: the trade-off the platform measures).
 * Routes are matched against the API's own list, so a request refused before routing (401, 429)
 * still counts under its route. A read answered with `X-Consistency` counts as consistent or stale.
 * Mount it first: the duration then covers the whole edge.
 */
export const routeMetrics = (registry: Registry, routes: readonly Route[]): RequestHandler => {
  const labelNames = ["route", "method", "status_class", "flow"] as const;
  const requests = new Counter({
    name: HTTP_METRIC_NAMES.requests,
    help: "HTTP requests answered, by route template, method, status class and flow",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: HTTP_METRIC_NAMES.duration,
    help: "HTTP request duration from arrival to the last byte sent, by route template, method, status class and flow",
    labelNames,
    buckets: REQUEST_DURATION_BUCKETS,
    registers: [registry],
  });
  const reads = new Counter({
    name: HTTP_METRIC_NAMES.reads,
    help: "Reads that presented a consistency token, by route and whether the read model had caught up (consistent) or not within the wait (stale)",
    labelNames: ["route", "consistency"] as const,
    registers: [registry],
  });
  const matchers = routes.map(matcherOf);
  // A request the router took names its route: found by name, without matching the path against every route.
  const byExpressRoute = new Map(matchers.map((m) => [`${m.method} ${expressPath(m.template)}`, m]));
  const matchOf = (req: Request) => {
    const routed = (req.route as { path?: unknown } | undefined)?.path;
    const named = typeof routed === "string" ? byExpressRoute.get(`${req.method} ${req.baseUrl}${routed}`) : undefined;
    if (named) return named;
    // originalUrl: what the client asked for, whatever a mounted router rewrote req.url to meanwhile.
    const path = new URL(req.originalUrl, "http://gateway").pathname;
    return matchers.find((m) => m.method === req.method && m.pattern.test(path));
  };

  return (req, res, next) => {
    const startedAt = performance.now();
    res.once("close", () => {
      const matched = matchOf(req);
      const requested = matched?.flowParam ? req.query[matched.flowParam] : undefined;
      const flow = !matched?.flowParam ? "none" : requested === undefined || requested === "async" ? "async" : requested === "sync" ? "sync" : "invalid";
      // A client that went away before the answer was sent: counted apart from the answers.
      const labels = {
        route: matched?.template ?? UNMATCHED_ROUTE,
        method: req.method,
        status_class: res.writableFinished ? statusClass(res.statusCode) : "aborted",
        flow,
      };
      requests.inc(labels);
      duration.observe(labels, (performance.now() - startedAt) / 1000);
      const consistency = res.getHeader("X-Consistency");
      if (consistency === "stale" || consistency === "consistent") reads.inc({ route: labels.route, consistency });
    });
    next();
  };
};
