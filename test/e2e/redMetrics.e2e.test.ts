import { randomUUID } from "node:crypto";
import type { RunningProcess } from "@bazaar/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { api } from "./auth.js";
import { metricsUrlOf, startContexts, type Contexts } from "./contexts.js";

/**
 * RED metrics move with real traffic (#15): a product created and read through the built gateway
 * and catalog counts at the gateway per route and per gRPC method it called, and in the catalog
 * per gRPC method it served, each with a duration observed.
 */
let contexts: Contexts;
let gateway: RunningProcess;
let base: string;

beforeAll(async () => {
  contexts = await startContexts(["catalog"]);
  ({ process: gateway, base } = await contexts.startGateway());
});
afterAll(async () => {
  await gateway?.stop();
  await contexts?.stopAll();
  await contexts?.cleanup();
});

/** The catalog's `/metrics`, as it logged it when ready. */
const catalogMetricsUrl = () => {
  const logged = /"metrics":"(http:\/\/[^"]+\/metrics)"[^\n]*catalog ready/.exec(contexts.output("catalog"));
  if (!logged?.[1]) throw new Error(`the catalog logged no metrics URL:\n${contexts.output("catalog").slice(-2000)}`);
  return logged[1];
};

/** One sample's value from a Prometheus text exposition (0 when the series does not exist yet). */
const sample = async (url: string, name: string, labels: Record<string, string>) => {
  const text = await (await fetch(url)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
};

it("a create and a read move the gateway's route and client counters and the catalog's server counters", async () => {
  const gatewayMetrics = metricsUrlOf(gateway);
  const catalogMetrics = catalogMetricsUrl();
  const createRoute = { route: "/v1/products", method: "POST", status_class: "2xx", flow: "none" };
  const readRoute = { route: "/v1/products/{id}", method: "GET", status_class: "4xx", flow: "none" };
  const created = { grpc_service: "bazaar.catalog.v1.CatalogCommandService", grpc_method: "CreateProduct", grpc_code: "OK" };
  const before = {
    create: await sample(gatewayMetrics, "bazaar_http_requests_total", createRoute),
    read: await sample(gatewayMetrics, "bazaar_http_requests_total", readRoute),
    client: await sample(gatewayMetrics, "bazaar_grpc_client_requests_total", created),
    server: await sample(catalogMetrics, "bazaar_grpc_server_requests_total", created),
    serverTimed: await sample(catalogMetrics, "bazaar_grpc_server_request_duration_seconds_count", created),
  };

  const res = await api(`${base}/v1/products`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sku: `RED-${randomUUID().slice(0, 8)}`, name: "Metered mug", category: "kitchen", price: { amount: 900, currency: "EUR" } }),
  });
  expect(res.status).toBe(201);
  expect((await api(`${base}/v1/products/${randomUUID()}`)).status).toBe(404);

  expect(await sample(gatewayMetrics, "bazaar_http_requests_total", createRoute)).toBe(before.create + 1);
  expect(await sample(gatewayMetrics, "bazaar_http_requests_total", readRoute)).toBe(before.read + 1);
  expect(await sample(gatewayMetrics, "bazaar_grpc_client_requests_total", created)).toBe(before.client + 1);
  expect(await sample(catalogMetrics, "bazaar_grpc_server_requests_total", created)).toBe(before.server + 1);
  expect(await sample(catalogMetrics, "bazaar_grpc_server_request_duration_seconds_count", created)).toBe(before.serverTimed + 1);
  // The read of an unknown product reached the catalog's query service and came back NOT_FOUND.
  expect(
    await sample(catalogMetrics, "bazaar_grpc_server_requests_total", { grpc_service: "bazaar.catalog.v1.CatalogQueryService", grpc_code: "NOT_FOUND" }),
  ).toBeGreaterThan(0);
});
