import { randomUUID } from "node:crypto";
import { ConcurrencyError, NotFoundError, RuleViolationError, TimeoutError, UnavailableError, ValidationError } from "@bazaar/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "./http/testGateway.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ bodyLimit: "1kb" });
});
afterAll(() => gw.close());
beforeEach(() => gw.downstreams.reset());

type Json = Record<string, unknown>;
const json = async (res: Response) => (await res.json()) as Json;

const product = { sku: "SKU-1", name: "Blue mug", category: "kitchen", price: { amount: 1299, currency: "EUR" } };
const address = { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" };

const createProduct = async (overrides: Json = {}) => {
  const res = await gw.post("/v1/products", { ...product, sku: `SKU-${randomUUID().slice(0, 8)}`, ...overrides });
  expect(res.status).toBe(201);
  return { ...(await json(res)), token: res.headers.get("x-consistency-token") } as { id: string; version: number; token: string };
};
const registerCustomer = async () => {
  const res = await gw.post("/v1/customers", { name: "Ada", email: `ada-${randomUUID()}@example.com`, address });
  expect(res.status).toBe(201);
  return (await json(res)) as { id: string };
};
const expectProblem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const problem = await json(res);
  expect(problem.status).toBe(status);
  return problem;
};

describe("products", () => {
  it("creates a product: 201, id, Location, consistency token", async () => {
    const res = await gw.post("/v1/products", product);
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.version).toBe(1);
    expect(res.headers.get("location")).toBe(`/v1/products/${String(body.id)}`);
    expect(gw.tokens.read(res.headers.get("x-consistency-token")!, "tester")).toEqual(new Map([[`product-${String(body.id)}`, 1]]));
    expect(gw.downstreams.commands.map((c) => c.method)).toEqual(["createProduct"]);
  });

  it("answers 409 for a taken SKU", async () => {
    await createProduct({ sku: "TAKEN" });
    await expectProblem(await gw.post("/v1/products", { ...product, sku: "taken" }), 409);
  });

  it("renames asynchronously, passing If-Match as the expected version", async () => {
    const { id } = await createProduct();
    const res = await gw.post(`/v1/products/${id}/rename`, { name: "Navy mug" }, { "if-match": "1" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id, version: 2 });
    expect(gw.downstreams.commands.at(-1)).toEqual({ method: "renameProduct", request: { productId: id, name: "Navy mug", expectedVersion: 1 } });
    expect(gw.tokens.read(res.headers.get("x-consistency-token")!, "tester").get(`product-${id}`)).toBe(2);
  });

  it("answers 409 for a stale If-Match (quoted ETag form accepted)", async () => {
    const { id } = await createProduct();
    const problem = await expectProblem(await gw.post(`/v1/products/${id}/rename`, { name: "Navy mug" }, { "if-match": '"7"' }), 409);
    expect(problem.title).toBe("Concurrent modification");
  });

  it("renames synchronously through the saga coordinator: 200 with the position", async () => {
    const { id } = await createProduct();
    const res = await gw.post(`/v1/products/${id}/rename?propagation=sync`, { name: "Navy mug" });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id, version: 2, status: "COMPLETED", sagaId: `rename-${id}` });
    expect(res.headers.get("x-consistency-token")).toBeTruthy();
    expect(gw.downstreams.commands.map((c) => c.method)).toEqual(["createProduct", "saga.renameProduct"]);
  });

  it("answers a compensated sync rename with 409, the saga id, the reason and Location of the saga", async () => {
    const { id } = await createProduct();
    gw.downstreams.state.sagaOutcome = { status: "COMPENSATED", reason: "ordering unavailable" };
    const res = await gw.post(`/v1/products/${id}/rename?propagation=sync`, { name: "Navy mug" });
    const problem = await expectProblem(res, 409);
    expect(problem).toMatchObject({ sagaId: `rename-${id}`, reason: "ordering unavailable" });
    expect(res.headers.get("location")).toBe(`/v1/sagas/rename-${id}`);
    const saga = await gw.get(`/v1/sagas/rename-${id}`);
    expect(saga.status).toBe(200);
    expect(await json(saga)).toMatchObject({ sagaId: `rename-${id}`, status: "COMPENSATED" });
  });

  it("changes the price and discontinues; a discontinued product refuses changes with 409", async () => {
    const { id } = await createProduct();
    const priced = await gw.post(`/v1/products/${id}/change-price`, { price: { amount: 1499, currency: "EUR" } });
    expect(priced.status).toBe(200);
    expect((await json(priced)).version).toBe(2);
    const discontinued = await gw.post(`/v1/products/${id}/discontinue`, undefined, { "if-match": "2" });
    expect(discontinued.status).toBe(200);
    expect((await json(discontinued)).version).toBe(3);
    const problem = await expectProblem(await gw.post(`/v1/products/${id}/change-price`, { price: { amount: 1, currency: "EUR" } }), 409);
    expect(problem.title).toBe("Rejected by a business rule");
  });

  it("reads a product; without a token there is no X-Consistency header", async () => {
    const { id } = await createProduct();
    const res = await gw.get(`/v1/products/${id}`);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id, name: "Blue mug", status: "ACTIVE", version: 1, price: { amount: 1299, currency: "EUR" } });
    expect(res.headers.get("x-consistency")).toBeNull();
    expect(gw.downstreams.queries.at(-1)?.request).toEqual({ productId: id, consistency: undefined });
  });

  it("passes a presented token's positions to the query (whose owner picks its aggregate's) and says consistent or stale", async () => {
    const { id, token } = await createProduct();
    const res = await gw.get(`/v1/products/${id}`, { "x-consistency-token": token });
    expect(res.headers.get("x-consistency")).toBe("consistent");
    // The position is the one the catalog answered (the fake's stream id): the gateway builds none.
    const answered = [...gw.tokens.read(token, "tester")].map(([streamId, version]) => ({ streamId, version }));
    expect(answered).toHaveLength(1);
    expect(gw.downstreams.queries.at(-1)?.request).toEqual({ productId: id, consistency: { minVersion: 0, waitMs: 1500, positions: answered } });
    gw.downstreams.state.stale = true;
    expect((await gw.get(`/v1/products/${id}`, { "x-consistency-token": token })).headers.get("x-consistency")).toBe("stale");
  });


  it("answers asOf from the event store, and 404 before the product existed", async () => {
    const { id } = await createProduct();
    await gw.post(`/v1/products/${id}/rename`, { name: "Navy mug" });
    const res = await gw.get(`/v1/products/${id}?asOf=2026-01-01T00:00:00Z`);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id, version: 1, asOf: "2026-01-01T00:00:00Z" });
    expect(gw.downstreams.queries.at(-1)).toEqual({ method: "getProductAsOf", request: { productId: id, asOf: "2026-01-01T00:00:00Z" } });
    await expectProblem(await gw.get(`/v1/products/${id}?asOf=1999-01-01T00:00:00Z`), 404);
  });

  it("lists the audit trail with parsed event data", async () => {
    const { id } = await createProduct();
    await gw.post(`/v1/products/${id}/rename`, { name: "Navy mug" });
    const res = await gw.get(`/v1/products/${id}/history`);
    expect(res.status).toBe(200);
    const body = (await json(res)) as { entries: { version: number; type: string; data: Json; actor: string }[] };
    expect(body.entries.map((e) => [e.version, e.type])).toEqual([
      [1, "catalog.ProductCreated.v1"],
      [2, "catalog.ProductRenamed.v1"],
    ]);
    expect(body.entries[1]?.data).toEqual({ name: "Navy mug" });
  });

  it("pages the audit trail: a sealed cursor leads to the next page; a tampered cursor or a limit above 500 is a 400", async () => {
    const { id } = await createProduct();
    await gw.post(`/v1/products/${id}/rename`, { name: "Navy mug" });
    const first = (await json(await gw.get(`/v1/products/${id}/history?limit=1`))) as { entries: { version: number }[]; nextCursor: string | null };
    expect(first.entries.map((e) => e.version)).toEqual([1]);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(gw.downstreams.queries.at(-1)?.request).toEqual({ productId: id, limit: 1, cursor: "" });
    const second = (await json(await gw.get(`/v1/products/${id}/history?limit=1&cursor=${first.nextCursor!}`))) as typeof first;
    expect(second.entries.map((e) => e.version)).toEqual([2]);
    expect(second.nextCursor).toBeNull();
    await expectProblem(await gw.get(`/v1/products/${id}/history?cursor=${first.nextCursor!.slice(0, -2)}xx`), 400);
    await expectProblem(await gw.get(`/v1/products/${id}/history?limit=501`), 400);
  });

  it("answers 404 for an unknown product's history", async () => {
    await expectProblem(await gw.get(`/v1/products/${randomUUID()}/history`), 404);
  });

  it("searches: items, total, facets, nextCursor", async () => {
    await createProduct({ name: "Searchable mug" });
    const res = await gw.get("/v1/products?q=searchable&sort=price-asc&limit=5");
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ total: 1, nextCursor: null, facets: { categories: [{ key: "kitchen", count: 1 }] } });
    expect(gw.downstreams.queries.at(-1)?.request).toMatchObject({ query: "searchable", limit: 5, sort: 3 });
  });
});

describe("inventory", () => {
  it("restocks and reads on hand, reserved, available", async () => {
    const productId = randomUUID();
    const res = await gw.post(`/v1/inventory/${productId}/restock`, { quantity: 5 });
    expect(res.status).toBe(200);
    const token = res.headers.get("x-consistency-token")!;
    expect(gw.tokens.read(token, "tester").get(`stock-${productId}`)).toBe(1);
    const level = await gw.get(`/v1/inventory/${productId}`, { "x-consistency-token": token });
    expect(await json(level)).toEqual({ productId, onHand: 5, reserved: 0, available: 5, version: 1 });
    expect(level.headers.get("x-consistency")).toBe("consistent");
  });
});

describe("customers", () => {
  it("registers, changes the address with If-Match and reads the customer", async () => {
    const res = await gw.post("/v1/customers", { name: "Ada", email: "Ada@Example.com", address });
    expect(res.status).toBe(201);
    const { id } = (await json(res)) as { id: string };
    expect(res.headers.get("location")).toBe(`/v1/customers/${id}`);
    const changed = await gw.post(`/v1/customers/${id}/change-address`, { address: { ...address, city: "Hamburg" } }, { "if-match": "1" });
    expect(changed.status).toBe(200);
    const got = await gw.get(`/v1/customers/${id}`, { "x-consistency-token": changed.headers.get("x-consistency-token")! });
    expect(await json(got)).toMatchObject({ id, email: "ada@example.com", address: { city: "Hamburg", line2: "" }, version: 2 });
    expect(got.headers.get("x-consistency")).toBe("consistent");
  });

  it("answers 409 for a taken email and 404 for an unknown customer", async () => {
    await gw.post("/v1/customers", { name: "Ada", email: "same@example.com", address });
    await expectProblem(await gw.post("/v1/customers", { name: "Bob", email: "same@example.com", address }), 409);
    await expectProblem(await gw.get(`/v1/customers/${randomUUID()}`), 404);
    await expectProblem(await gw.post(`/v1/customers/${randomUUID()}/change-address`, { address }), 404);
  });
});

describe("orders", () => {
  it("places an async order: 202 PENDING with Location and token; reads it, lists it, cancels it", async () => {
    const { id: productId } = await createProduct();
    const { id: customerId } = await registerCustomer();
    const res = await gw.post("/v1/orders", { customerId, lines: [{ productId, quantity: 2 }] });
    expect(res.status).toBe(202);
    const placed = (await json(res)) as { id: string; status: string };
    expect(placed.status).toBe("PENDING");
    expect(res.headers.get("location")).toBe(`/v1/orders/${placed.id}`);
    expect(gw.downstreams.commands.at(-1)).toMatchObject({ method: "placeOrder", request: { customerId, flow: 1 } });

    const got = await gw.get(`/v1/orders/${placed.id}`, { "x-consistency-token": res.headers.get("x-consistency-token")! });
    expect(await json(got)).toMatchObject({ id: placed.id, customerId, status: "PENDING", flow: "ASYNC", lines: [{ productId, quantity: 2, productName: "Blue mug" }], total: { amount: 2598 } });
    expect(got.headers.get("x-consistency")).toBe("consistent");

    const history = await gw.get(`/v1/customers/${customerId}/orders?limit=10`);
    expect(await json(history)).toMatchObject({ total: 1, nextCursor: null, items: [{ id: placed.id }] });

    const cancelled = await gw.post(`/v1/orders/${placed.id}/cancel`, { reason: "changed my mind" });
    expect(cancelled.status).toBe(200);
    expect(gw.downstreams.commands.at(-1)).toEqual({ method: "cancelOrder", request: { orderId: placed.id, reason: "changed my mind" } });
  });

  it("places a sync order: 201 CONFIRMED through the saga", async () => {
    const { id: customerId } = await registerCustomer();
    const res = await gw.post("/v1/orders?flow=sync", { customerId, lines: [{ productId: randomUUID(), quantity: 1 }] });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({ status: "CONFIRMED", sagaId: body.id });
    expect(res.headers.get("location")).toBe(`/v1/orders/${String(body.id)}`);
  });

  it("answers a sync order refused for stock with 409 REJECTED, the saga id and reason", async () => {
    gw.downstreams.state.sagaOutcome = { status: "COMPENSATED", reason: "insufficient stock" };
    const res = await gw.post("/v1/orders?flow=sync", { customerId: randomUUID(), lines: [{ productId: randomUUID(), quantity: 1 }] });
    const problem = await expectProblem(res, 409);
    expect(problem).toMatchObject({ orderStatus: "REJECTED", reason: "insufficient stock", type: "/problems/order-rejected" });
    expect(res.headers.get("location")).toBe(`/v1/sagas/${String(problem.sagaId)}`);
  });

  it("includes product details on the hybrid path", async () => {
    const { id: productId } = await createProduct();
    const placed = await json(await gw.post("/v1/orders", { customerId: randomUUID(), lines: [{ productId, quantity: 1 }] }));
    const res = await gw.get(`/v1/orders/${String(placed.id)}?include=productDetails`);
    expect(res.status).toBe(200);
    expect(res.headers.get("warning")).toBeNull();
    expect(await json(res)).toMatchObject({ degraded: false, products: { [productId]: { sku: expect.any(String), name: "Blue mug" } } });
  });

  it("answers a degraded hybrid read with 200, degraded: true, the reason and a Warning header", async () => {
    const { id: productId } = await createProduct();
    const placed = await json(await gw.post("/v1/orders", { customerId: randomUUID(), lines: [{ productId, quantity: 1 }] }));
    gw.downstreams.state.degradedReason = "circuit open";
    const res = await gw.get(`/v1/orders/${String(placed.id)}?include=productDetails`);
    expect(res.status).toBe(200);
    expect(res.headers.get("warning")).toBe('199 - "product details unavailable: circuit open"');
    expect(await json(res)).toMatchObject({ degraded: true, degradedReason: "circuit open", products: {} });
  });

  it("answers 404 for an unknown order and 409 cancelling a rejected one", async () => {
    await expectProblem(await gw.get(`/v1/orders/${randomUUID()}`), 404);
    await expectProblem(await gw.post(`/v1/orders/${randomUUID()}/cancel`, {}), 404);
  });

  it("answers 404 for an unknown saga", async () => {
    await expectProblem(await gw.get("/v1/sagas/nope"), 404);
  });
});

describe("downstream errors map through the one table", () => {
  it.each([
    ["INVALID_ARGUMENT", new ValidationError([{ field: "name", message: "must not be blank" }]), 400],
    ["NOT_FOUND", new NotFoundError("gone"), 404],
    ["ABORTED", new ConcurrencyError("product-x", 3), 409],
    ["FAILED_PRECONDITION", new RuleViolationError("discontinued"), 409],
    ["UNAVAILABLE", new UnavailableError("catalog down"), 503],
    ["DEADLINE_EXCEEDED", new TimeoutError("slow"), 504],
  ])("%s → %s problem+json", async (_code, error, status) => {
    gw.downstreams.failNext(error);
    const res = await gw.post("/v1/products", product);
    const problem = await expectProblem(res, status);
    if (status === 503) expect(res.headers.get("retry-after")).toBe("5");
    if (status === 400) expect(problem.errors).toEqual([{ field: "name", message: "must not be blank" }]);
  });

  it.each([
    ["UNAVAILABLE", new UnavailableError("14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.0.3.7:50051"), 503],
    ["DEADLINE_EXCEEDED", new TimeoutError("4 DEADLINE_EXCEEDED: cassandra-2.internal:9042 timed out after 2000 ms"), 504],
  ])("says what kind of outage a %s is, without the driver's text (hosts, ports)", async (_code, error, status) => {
    gw.downstreams.failNext(error);
    const problem = await expectProblem(await gw.post("/v1/products", product), status);
    expect(problem.detail).toMatch(/a service this request needs/);
    expect(JSON.stringify(problem)).not.toMatch(/10\.0\.3\.7|cassandra-2|9042|50051|ECONNREFUSED/);
  });

  it("hides an unknown error as 500", async () => {
    gw.downstreams.failNext(new Error("boom: secret detail"));
    const problem = await expectProblem(await gw.get(`/v1/inventory/${randomUUID()}`), 500);
    expect(JSON.stringify(problem)).not.toContain("secret");
  });

  it.each([
    ["inventory", () => gw.get(`/v1/inventory/${randomUUID()}`)],
    ["customer", () => gw.get(`/v1/customers/${randomUUID()}`)],
    ["ordering", () => gw.get(`/v1/orders/${randomUUID()}`)],
    ["sagas", () => gw.get("/v1/sagas/abc")],
  ])("maps %s's UNAVAILABLE to 503", async (_name, call) => {
    gw.downstreams.failNext(new UnavailableError("down"));
    await expectProblem(await call(), 503);
  });
});

describe("scopes", () => {
  it("asks authorize for each route's scopes: 401 without credentials, 403 without the scope", async () => {
    await expectProblem(await gw.call("POST", "/v1/products", { body: product, headers: { "x-test-scopes": undefined } }), 401);
    const forbidden = await expectProblem(await gw.post("/v1/products", product, { "x-test-scopes": "read" }), 403);
    expect(forbidden.detail).toContain("catalog:write");
    expect((await gw.get(`/v1/inventory/${randomUUID()}`, { "x-test-scopes": "read" })).status).toBe(200);
    await expectProblem(await gw.post(`/v1/inventory/${randomUUID()}/restock`, { quantity: 1 }, { "x-test-scopes": "read catalog:write" }), 403);
    expect(gw.downstreams.commands).toHaveLength(0);
  });
});

describe("operations", () => {
  it("answers /healthz and /readyz with each downstream's status; 503 when one is down", async () => {
    expect(await json(await gw.get("/healthz", {}))).toEqual({ status: "ok" });
    const ready = await gw.get("/readyz");
    expect(ready.status).toBe(200);
    expect(await json(ready)).toMatchObject({ status: "ready", services: { "catalog-command": "SERVING" } });
    gw.downstreams.state.ready = false;
    const down = await gw.get("/readyz");
    expect(down.status).toBe(503);
    expect(await json(down)).toMatchObject({ status: "not-ready", services: { "catalog-query": "UNREACHABLE" } });
  });

  it("answers 404 problem+json for an unknown route", async () => {
    await expectProblem(await gw.get("/v2/nothing"), 404);
  });
});
