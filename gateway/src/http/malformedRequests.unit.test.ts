import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError } from "@bazaar/core";
import { aProduct } from "../../../test/fakes/gatewayAnswers.js";
import { startTestGateway, type TestGateway } from "../../../test/fakes/testGateway.js";

/**
 * Invariant 7: bad input gets a clear 4xx problem+json and changes nothing. Each request
 * below is malformed in one way; the scripted downstreams must record no call at all.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ bodyLimit: "1kb" });
});
afterAll(() => gw.close());
beforeEach(() => gw.downstreams.reset());

const id = randomUUID();
const product = { sku: "SKU-1", name: "Blue mug", category: "kitchen", price: { amount: 1299, currency: "EUR" } };
const address = { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" };
const order = { customerId: randomUUID(), lines: [{ productId: randomUUID(), quantity: 1 }] };

/** A token this gateway signed, with its payload swapped for one asking for another version. */
const tampered = () => {
  const genuine = gw.tokens.issue([{ streamId: `product-${id}`, version: 1 }], "tester")!;
  const forged = Buffer.from(JSON.stringify([[`product-${id}`, 99]])).toString("base64url");
  return `${forged}.${genuine.split(".")[1]}`;
};

interface Case {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status?: number;
  /** A field the problem's `errors` must name. */
  field?: string;
}

const cases: Record<string, Case | (() => Case)> = {
  "malformed JSON": { method: "POST", path: "/v1/products", raw: "{ not json" },
  "JSON array instead of an object": { method: "POST", path: "/v1/products", raw: "[]", field: "body" },
  "empty product": { method: "POST", path: "/v1/products", body: {}, field: "sku" },
  "name of the wrong type": { method: "POST", path: "/v1/products", body: { ...product, name: 42 }, field: "name" },
  "price amount as a string": {
    method: "POST",
    path: "/v1/products",
    body: { ...product, price: { amount: "12.99", currency: "EUR" } },
    field: "price.amount",
  },
  "negative price": { method: "POST", path: "/v1/products", body: { ...product, price: { amount: -1, currency: "EUR" } }, field: "price.amount" },
  "unknown field": { method: "POST", path: "/v1/products", body: { ...product, colour: "blue" }, field: "colour" },
  "huge body": { method: "POST", path: "/v1/products", body: { ...product, description: "x".repeat(4096) }, status: 413 },
  "body that is not JSON": { method: "POST", path: "/v1/products", raw: "sku=1", headers: { "content-type": "text/plain" }, field: "sku" },
  "rename of a non-UUID id": { method: "POST", path: "/v1/products/42/rename", body: { name: "Navy" }, field: "id" },
  "If-Match that is not a version": {
    method: "POST",
    path: `/v1/products/${id}/rename`,
    body: { name: "Navy" },
    headers: { "if-match": "abc" },
    field: "If-Match",
  },
  "If-Match zero": { method: "POST", path: `/v1/products/${id}/rename`, body: { name: "Navy" }, headers: { "if-match": "0" }, field: "If-Match" },
  "negative If-Match": { method: "POST", path: `/v1/products/${id}/discontinue`, headers: { "if-match": "-1" }, field: "If-Match" },
  "fractional If-Match": { method: "POST", path: `/v1/products/${id}/discontinue`, headers: { "if-match": "1.5" }, field: "If-Match" },
  "unknown propagation": { method: "POST", path: `/v1/products/${id}/rename?propagation=later`, body: { name: "Navy" }, field: "propagation" },
  "unknown query parameter": { method: "POST", path: `/v1/products/${id}/rename?force=true`, body: { name: "Navy" }, field: "force" },
  "blank new name": { method: "POST", path: `/v1/products/${id}/rename`, body: { name: "   " }, field: "name" },
  "lower-case currency": {
    method: "POST",
    path: `/v1/products/${id}/change-price`,
    body: { price: { amount: 100, currency: "eur" } },
    field: "price.currency",
  },
  "fractional minor units": {
    method: "POST",
    path: `/v1/products/${id}/change-price`,
    body: { price: { amount: 10.5, currency: "EUR" } },
    field: "price.amount",
  },
  "negative restock": { method: "POST", path: `/v1/inventory/${id}/restock`, body: { quantity: -5 }, field: "quantity" },
  "zero restock": { method: "POST", path: `/v1/inventory/${id}/restock`, body: { quantity: 0 }, field: "quantity" },
  "restock quantity as a string": { method: "POST", path: `/v1/inventory/${id}/restock`, body: { quantity: "5" }, field: "quantity" },
  "restock of a non-UUID product": { method: "POST", path: "/v1/inventory/mug/restock", body: { quantity: 5 }, field: "productId" },
  "customer with a bad email": { method: "POST", path: "/v1/customers", body: { name: "Ada", email: "ada@", address }, field: "email" },
  "customer without an address": { method: "POST", path: "/v1/customers", body: { name: "Ada", email: "ada@example.com" }, field: "address" },
  "lower-case country": {
    method: "POST",
    path: "/v1/customers",
    body: { name: "Ada", email: "ada@example.com", address: { ...address, country: "de" } },
    field: "address.country",
  },
  "unknown address field": {
    method: "POST",
    path: `/v1/customers/${id}/change-address`,
    body: { address: { ...address, planet: "Earth" } },
    field: "address.planet",
  },
  "order without lines": { method: "POST", path: "/v1/orders", body: { ...order, lines: [] }, field: "lines" },
  "negative order quantity": { method: "POST", path: "/v1/orders", body: { ...order, lines: [{ productId: id, quantity: -1 }] }, field: "lines.0.quantity" },
  "non-UUID customer": { method: "POST", path: "/v1/orders", body: { ...order, customerId: "ada" }, field: "customerId" },
  "the same product on two lines": {
    method: "POST",
    path: "/v1/orders",
    body: {
      ...order,
      lines: [
        { productId: id, quantity: 1 },
        { productId: id, quantity: 2 },
      ],
    },
    field: "lines",
  },
  "unknown order flow": { method: "POST", path: "/v1/orders?flow=fast", body: order, field: "flow" },
  "cancel reason of the wrong type": { method: "POST", path: `/v1/orders/${id}/cancel`, body: { reason: 7 }, field: "reason" },
  "asOf that is no date": { method: "GET", path: `/v1/products/${id}?asOf=yesterday`, field: "asOf" },
  "asOf without a zone": { method: "GET", path: `/v1/products/${id}?asOf=2026-01-01T00:00:00`, field: "asOf" },
  "tampered consistency token": () => ({
    method: "GET",
    path: `/v1/products/${id}`,
    headers: { "x-consistency-token": tampered() },
    field: "X-Consistency-Token",
  }),
  "consistency token that is no token": { method: "GET", path: `/v1/orders/${id}`, headers: { "x-consistency-token": "hello" }, field: "X-Consistency-Token" },
  "search cursor that is no cursor": { method: "GET", path: "/v1/products?cursor=not%20a%20cursor!", field: "cursor" },
  "search cursor with a forged MAC": { method: "GET", path: "/v1/products?cursor=eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA", field: "cursor" },
  "history cursor with a forged MAC": { method: "GET", path: `/v1/customers/${id}/orders?cursor=WyJ5ZXN0ZXJkYXkiLDdd.AAAAAAAAAAAAAAAAAAAAAA`, field: "cursor" },
  "51 attributes": {
    method: "POST",
    path: "/v1/products",
    body: { ...product, attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, "x"])) },
    field: "attributes",
  },
  "attribute name with a dot": { method: "POST", path: "/v1/products", body: { ...product, attributes: { "a.b": "x" } }, field: "attributes.a.b" },
  "search price that is negative": { method: "GET", path: "/v1/products?minPrice=-1", field: "minPrice" },
  "history limit of zero": { method: "GET", path: `/v1/customers/${id}/orders?limit=0`, field: "limit" },
  "history cursor that is no cursor": { method: "GET", path: `/v1/customers/${id}/orders?cursor=%7B%7D`, field: "cursor" },
  "unknown include": { method: "GET", path: `/v1/orders/${id}?include=everything`, field: "include" },
  "stock of a non-UUID product": { method: "GET", path: "/v1/inventory/42", field: "productId" },
  "saga id with odd characters": { method: "GET", path: "/v1/sagas/a%20b", field: "id" },
};

describe("malformed requests", () => {
  it("has at least 30 of them", () => {
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(cases))("%s → 4xx problem+json, nothing called", async (_label, given) => {
    const c = typeof given === "function" ? given() : given;
    const res = await gw.call(c.method, c.path, { body: c.body, raw: c.raw, headers: c.headers });
    expect(res.status).toBe(c.status ?? 400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { status: number; errors?: { field: string }[] };
    expect(problem.status).toBe(res.status);
    if (c.field) expect(problem.errors?.map((e) => e.field)).toContain(c.field);
    expect(gw.downstreams.calls).toEqual([]);
  });

  it("reports every failing field of params, query, headers and body together", async () => {
    const res = await gw.call("POST", "/v1/products/42/rename?propagation=x", { body: { name: "" }, headers: { "if-match": "v" } });
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(["If-Match", "id", "name", "propagation"]);
  });
});

describe("input that used to end as a 500", () => {
  it("passes a product id given in upper case on in the canonical lower case", async () => {
    const productId = randomUUID();
    gw.downstreams.catalog.answer("getProduct", { product: aProduct({ productId }), stale: false });
    const res = await gw.get(`/v1/products/${productId.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(gw.downstreams.lastRequest("catalog.getProduct")).toMatchObject({ productId });
  });

  it.each([
    ["non-ASCII", "00-ëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëë-00f067aa0ba902b7-01"],
    ["malformed", "not a traceparent"],
  ])("answers a %s traceparent (dropped, the trace restarts) instead of failing", async (_label, traceparent) => {
    gw.downstreams.catalog.fail("getProduct", new NotFoundError(`product ${id} not found`));
    const res = await gw.get(`/v1/products/${id}`, { traceparent });
    expect(res.status).toBe(404);
    expect(gw.downstreams.called()).toEqual(["catalog.getProduct"]);
  });

  it("hands the query services back only cursors the gateway sealed, and seals theirs", async () => {
    const page = { items: [aProduct()], total: 3, categories: [], statuses: [], priceRanges: [] };
    gw.downstreams.catalog.answer("searchProducts", { ...page, nextCursor: "offset:2" });
    const first = (await (await gw.get("/v1/products?limit=2")).json()) as { nextCursor: string | null };
    if (first.nextCursor === null) return expect.fail("the catalog's next page was dropped");
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(first.nextCursor).not.toContain("offset");
    gw.downstreams.catalog.answer("searchProducts", { ...page, nextCursor: "" });
    const second = await gw.get(`/v1/products?limit=2&cursor=${first.nextCursor}`);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { nextCursor: string | null }).nextCursor).toBeNull();
    // The catalog got its own cursor back, opened from the sealed one.
    expect(gw.downstreams.lastRequest("catalog.searchProducts")).toMatchObject({ cursor: "offset:2" });
  });
});
