import { randomUUID } from "node:crypto";
import { NotFoundError } from "@bazaar/core";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP_METRIC_NAMES } from "./routeMetrics.js";
import { anOrder, aPosition, aProduct } from "../../../test/fakes/gatewayAnswers.js";
import { startTestGateway, type TestGateway } from "../../../test/fakes/testGateway.js";

const registry = new Registry();
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ metrics: registry });
  const { catalog, customers, ordering, sagas } = gw.downstreams;
  catalog.answer("createProduct", (request) => ({ productId: request.productId, ...aPosition(1) }));
  customers.answer("registerCustomer", (request) => ({ customerId: request.customerId, ...aPosition(1) }));
  ordering.answer("placeOrder", (request) => ({ order: anOrder({ orderId: request.orderId }), ...aPosition(1) }));
  sagas.answer("placeOrder", (request) => ({ sagaId: request.orderId, status: "COMPLETED" as const }));
});
afterAll(() => gw.close());

/** A counter's samples as "label=value,…" → value. */
const samples = async (name: string) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Object.fromEntries(
    (metric?.values ?? []).map((v) => [
      Object.entries(v.labels)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(","),
      v.value,
    ]),
  );
};

const product = { sku: `SKU-${randomUUID().slice(0, 8)}`, name: "Blue mug", category: "kitchen", price: { amount: 1299, currency: "EUR" } };
const address = { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" };

describe("route metrics (RED per route)", () => {
  it("count by route template, method, status class and flow; time every request", async () => {
    const created = await gw.post("/v1/products", product);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    gw.downstreams.catalog.answer("getProduct", { product: aProduct({ productId: id }), stale: false });
    expect((await gw.get(`/v1/products/${id}`)).status).toBe(200);
    gw.downstreams.catalog.fail("getProduct", new NotFoundError("product not found"));
    expect((await gw.get(`/v1/products/${randomUUID()}`)).status).toBe(404);
    // Refused before routing (no credentials): still counted under its route.
    expect((await gw.call("GET", `/v1/products/${id}`, { headers: { "x-test-scopes": undefined } })).status).toBe(401);
    expect((await gw.get("/no/such/path")).status).toBe(404);

    const customer = (await (await gw.post("/v1/customers", { name: "Ada", email: `ada-${randomUUID()}@example.com`, address })).json()) as { id: string };
    const order = { customerId: customer.id, lines: [{ productId: id, quantity: 1 }] };
    expect((await gw.post("/v1/orders", order)).status).toBe(202);
    expect((await gw.post("/v1/orders?flow=sync", { ...order })).status).toBe(201);

    const counts = await samples(HTTP_METRIC_NAMES.requests);
    expect(counts).toMatchObject({
      "route=/v1/products,method=POST,status_class=2xx,flow=none": 1,
      "route=/v1/products/{id},method=GET,status_class=2xx,flow=none": 1,
      "route=/v1/products/{id},method=GET,status_class=4xx,flow=none": 2,
      "route=other,method=GET,status_class=4xx,flow=none": 1,
      "route=/v1/orders,method=POST,status_class=2xx,flow=async": 1,
      "route=/v1/orders,method=POST,status_class=2xx,flow=sync": 1,
    });
    // No raw id ever becomes a label value.
    expect(Object.keys(counts).some((key) => key.includes(id))).toBe(false);

    const histogram = (await registry.getMetricsAsJSON()).find((m) => m.name === HTTP_METRIC_NAMES.duration);
    const syncCount = histogram?.values.find(
      (v) => (v as { metricName?: string }).metricName === `${HTTP_METRIC_NAMES.duration}_count` && v.labels.flow === "sync" && v.labels.route === "/v1/orders",
    );
    expect(syncCount?.value).toBe(1);
  });

  it("count token reads as consistent or stale", async () => {
    const created = await gw.post("/v1/products", { ...product, sku: `SKU-${randomUUID().slice(0, 8)}` });
    const { id } = (await created.json()) as { id: string };
    gw.downstreams.catalog.answer("getProduct", { product: aProduct({ productId: id }), stale: false });
    const read = await gw.get(`/v1/products/${id}`, { "x-consistency-token": created.headers.get("x-consistency-token")! });
    expect(read.headers.get("x-consistency")).toBe("consistent");
    expect(await samples(HTTP_METRIC_NAMES.reads)).toMatchObject({ "route=/v1/products/{id},consistency=consistent": 1 });
  });
});
