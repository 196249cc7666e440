import { NotFoundError, UnavailableError } from "@bazaar/core";
import type { CreateProductRequest } from "@bazaar/contracts/catalog/v1";
import { createLogger } from "@bazaar/runtime";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import type { CatalogClient } from "./clients/catalogClient.js";

/** An in-memory catalog: enough to test the HTTP edge alone (validation, error mapping). */
const fakeCatalog = () => {
  const created: CreateProductRequest[] = [];
  let failure: Error | undefined;
  const client: CatalogClient = {
    async createProduct(request) {
      if (failure) throw failure;
      created.push(request);
      return { productId: request.productId, position: { streamId: `product-${request.productId}`, version: 1 } };
    },
    async getProduct(productId) {
      throw failure ?? new NotFoundError(`product ${productId} not found`);
    },
    async searchProducts() {
      return { items: [], total: 0, categories: [], statuses: [], priceRanges: [], nextCursor: "" };
    },
    close() {},
  };
  return { client, created, failWith: (error: Error | undefined) => (failure = error) };
};

const catalog = fakeCatalog();
let server: Server;
let base: string;

beforeAll(async () => {
  const app = createApp({ catalog: catalog.client, logger: createLogger("gateway-test", {}), bodyLimit: "1kb" });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  catalog.created.length = 0;
  catalog.failWith(undefined);
});

const post = (path: string, body: string) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

const valid = { sku: "SKU-1", name: "Blue mug", category: "kitchen", price: { amount: 1299, currency: "EUR" } };

describe("gateway HTTP edge", () => {
  it("creates a product: 201, id, Location", async () => {
    const res = await post("/v1/products", JSON.stringify(valid));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; version: number };
    expect(body.version).toBe(1);
    expect(res.headers.get("location")).toBe(`/v1/products/${body.id}`);
    expect(catalog.created).toHaveLength(1);
  });

  it.each([
    ["missing name", { ...valid, name: undefined }, "name"],
    ["blank name", { ...valid, name: "  " }, "name"],
    ["price as a string", { ...valid, price: "12.99" }, "price"],
    ["fractional amount", { ...valid, price: { amount: 12.5, currency: "EUR" } }, "price.amount"],
    ["negative amount", { ...valid, price: { amount: -1, currency: "EUR" } }, "price.amount"],
    ["lower-case currency", { ...valid, price: { amount: 1, currency: "eur" } }, "price.currency"],
    ["unknown field", { ...valid, colour: "blue" }, "colour"],
    ["attribute value not a string", { ...valid, attributes: { size: 3 } }, "attributes.size"],
  ])("answers 400 problem+json naming the field for %s, and calls nothing", async (_label, body, field) => {
    const res = await post("/v1/products", JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { status: number; errors: { field: string }[] };
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.field)).toContain(field);
    expect(catalog.created).toHaveLength(0);
  });

  it("answers 400 for malformed JSON", async () => {
    const res = await post("/v1/products", "{ not json");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { title: string }).title).toBe("Malformed JSON");
  });

  it("answers 413 for a body over the limit", async () => {
    const res = await post("/v1/products", JSON.stringify({ ...valid, description: "x".repeat(4096) }));
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("answers 400 for an id that is not a UUID and 404 for an unknown one", async () => {
    expect((await fetch(`${base}/v1/products/not-a-uuid`)).status).toBe(400);
    const res = await fetch(`${base}/v1/products/0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("answers 503 with Retry-After when the catalog is unavailable", async () => {
    catalog.failWith(new UnavailableError("catalog down"));
    const res = await post("/v1/products", JSON.stringify(valid));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
  });

  it("answers 400 naming the parameter for a bad search parameter", async () => {
    for (const [query, field] of [["minPrice=-1", "minPrice"], ["sort=cheapest", "sort"], ["status=gone", "status"], ["colour=blue", "colour"]]) {
      const res = await fetch(`${base}/v1/products?${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(field);
    }
  });

  it("answers 400 for a search limit out of range", async () => {
    const res = await fetch(`${base}/v1/products?q=mug&limit=1000`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("limit");
  });

  it("answers 404 problem+json for an unknown route", async () => {
    const res = await fetch(`${base}/v2/nothing`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
