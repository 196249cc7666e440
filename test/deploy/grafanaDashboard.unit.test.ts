import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createPublicationMetrics } from "@bazaar/event-store";
import { createConsumerMetrics } from "@bazaar/messaging";
import { createProjectionMetrics } from "@bazaar/projections";
import { createLogger, createMetricsRegistry, createResilience, grpcServerMetrics, serviceClientOptions } from "@bazaar/runtime";
import type { Registry } from "prom-client";
import { afterAll, describe, expect, it } from "vitest";
import { apiRoutes } from "../../gateway/src/app.js";
import { createConsistencyTokens } from "../../gateway/src/http/consistencyTokens.js";
import { routeMetrics } from "../../gateway/src/http/routeMetrics.js";
import { createCursorSeal } from "../../gateway/src/http/signedCursors.js";
import { createSagaMetrics } from "../../gateway/src/sagas/sagaMetrics.js";
import { createScriptedDownstreams } from "../fakes/scriptedDownstreams.js";

/**
 * deploy/grafana's dashboard cannot rot: every series a panel queries is one the code registers
 * (built here by the same factories the processes call), with labels that metric has, and every
 * route a panel names is a route of the API.
 */
const dashboardPath = fileURLToPath(new URL("../../deploy/grafana/bazaar-overview.json", import.meta.url));

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}
const dashboard = JSON.parse(readFileSync(dashboardPath, "utf8")) as { panels: Panel[]; uid: string };
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== "row");

// Every metric of a gateway process and of a context process, from the factories they use.
const registry: Registry = createMetricsRegistry("dashboard-test");
createPublicationMetrics(registry);
createProjectionMetrics(registry);
createConsumerMetrics(registry);
const resilience = createResilience({ registry, metricsPrefix: "bazaar_gateway" });
afterAll(() => resilience.close());
createSagaMetrics(registry);
grpcServerMetrics(registry);
serviceClientOptions({ secret: "test-secret-of-at-least-thirty-two-bytes", caller: "gateway", metrics: registry });
const routes = apiRoutes({
  ...createScriptedDownstreams().deps,
  tokens: createConsistencyTokens("test-secret-of-at-least-thirty-two-bytes"),
  cursors: createCursorSeal("test-secret-of-at-least-thirty-two-bytes"),
  consistencyWaitMs: 0,
  authorize: () => (_req, _res, next) => next(),
  logger: createLogger("dashboard-test", {}),
  bodyLimit: "16kb",
});
routeMetrics(registry, routes);

/** Series name → the labels it carries (the registry's default label `service` included). */
const series = new Map<string, Set<string>>();
for (const metric of registry.getMetricsAsArray() as unknown as { name: string; type?: string; labelNames: string[] }[]) {
  const labels = new Set([...metric.labelNames, "service"]);
  if (metric.type === "histogram") {
    series.set(`${metric.name}_bucket`, new Set([...labels, "le"]));
    series.set(`${metric.name}_sum`, labels);
    series.set(`${metric.name}_count`, labels);
  } else {
    series.set(metric.name, labels);
  }
}

/** The selectors and grouping labels of a PromQL expression (what the dashboard's queries use). */
const parse = (expr: string) => {
  const strings: string[] = [];
  // String literals out first: a route template's braces would end a selector early.
  let rest = expr.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => `"${strings.push(JSON.parse(literal) as string) - 1}"`);
  const grouping = [...rest.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) =>
    m[1]!
      .split(",")
      .map((label) => label.trim())
      .filter(Boolean),
  );
  rest = rest.replace(/\b(?:by|without)\s*\([^)]*\)/g, " ").replace(/\[[^\]]*\]/g, " ");
  const selectors = [...rest.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?\s*(?:\{([^}]*)\})?/g)]
    .filter((m) => m[2] === undefined)
    .map((m) => ({
      metric: m[1]!,
      matchers: [...(m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"(\d+)"/g)].map((l) => ({
        label: l[1]!,
        op: l[2]!,
        value: strings[Number(l[3])]!,
      })),
    }));
  return { selectors, grouping };
};

const queries = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, ...parse(target.expr), expr: target.expr })));

describe("the Grafana dashboard", () => {
  it("has a query in every panel", () => {
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels) expect(panel.targets?.length ?? 0, panel.title).toBeGreaterThan(0);
  });

  it("queries only series the code registers, with labels they have", () => {
    for (const { panel, selectors, grouping, expr } of queries) {
      expect(selectors.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const { metric, matchers } of selectors) {
        expect(series.has(metric), `${panel}: ${metric} is not registered by the code`).toBe(true);
        for (const { label } of matchers) expect(series.get(metric)?.has(label), `${panel}: ${metric} has no label ${label}`).toBe(true);
      }
      for (const label of grouping) {
        expect(
          selectors.some(({ metric }) => series.get(metric)?.has(label)),
          `${panel}: no metric in "${expr}" has the label ${label}`,
        ).toBe(true);
      }
    }
  });

  it("names only routes of the API and flows the gateway labels", () => {
    const templates = new Set(routes.map((route) => route.path));
    const named = queries.flatMap(({ selectors }) => selectors.flatMap(({ matchers }) => matchers));
    for (const { value } of named.filter((m) => m.label === "route" && m.op === "=")) expect(templates.has(value), value).toBe(true);
    for (const { value } of named.filter((m) => m.label === "flow" && m.op === "=")) expect(["sync", "async", "none"]).toContain(value);
    expect(named.filter((m) => m.label === "route").length).toBeGreaterThan(0);
  });

  it("covers the trade-off: sync vs async latency, staleness, projection lag, breakers, sagas, RED per route and method", () => {
    const queried = new Set(queries.flatMap(({ selectors }) => selectors.map(({ metric }) => metric)));
    for (const metric of [
      "bazaar_http_request_duration_seconds_bucket",
      "bazaar_http_requests_total",
      "bazaar_gateway_read_consistency_total",
      "bazaar_projection_lag_seconds_bucket",
      "bazaar_consumer_pending_messages",
      "bazaar_gateway_breaker_state",
      "bazaar_saga_outcomes_total",
      "bazaar_grpc_server_requests_total",
      "bazaar_grpc_server_request_duration_seconds_bucket",
      "bazaar_grpc_client_request_duration_seconds_bucket",
    ]) {
      expect(queried.has(metric), metric).toBe(true);
    }
    const flows = queries
      .filter(({ selectors }) => selectors.some(({ metric }) => metric === "bazaar_http_request_duration_seconds_bucket"))
      .filter(({ grouping }) => grouping.includes("flow"));
    expect(flows.length, "a panel splits latency by flow (sync vs async)").toBeGreaterThan(0);
  });

  it("catches a query of a metric nobody registers (the check itself)", () => {
    const { selectors } = parse('sum by (route) (rate(bazaar_http_requests_totl{route="/v1/orders/{id}"}[5m]))');
    expect(selectors).toEqual([{ metric: "bazaar_http_requests_totl", matchers: [{ label: "route", op: "=", value: "/v1/orders/{id}" }] }]);
    expect(series.has("bazaar_http_requests_totl")).toBe(false);
  });
});
