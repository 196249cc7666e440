import { randomUUID } from "node:crypto";
import { get } from "node:http";
import { AlreadyExistsError, ConcurrencyError, NotFoundError, RuleViolationError, TimeoutError, UnavailableError, ValidationError } from "@bazaar/core";
import { ProductStatus } from "@bazaar/contracts/catalog/v1";
import { OrderFlow, OrderStatus } from "@bazaar/contracts/ordering/v1";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aCustomer, anOrder, aPosition, aProduct, aSaga, PRODUCT_DATA } from "../../test/fakes/gatewayAnswers.js";
import { ALL_SCOPES, startTestGateway, type TestGateway } from "../../test/fakes/testGateway.js";

/**
 * The HTTP edge over scripted downstreams: how requests map to calls and answers to responses,
 * tokens, headers and problem+json. What the contexts decide (unique SKUs and emails, versions,
 * discontinued products, stock) is theirs and tested there and end to end.
 */
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
/** The address as the gateway passes it on: an optional line filled in. */
const addressSent = { ...address, line2: "" };
const tokenPositions = (res: Response) => gw.tokens.read(res.headers.get("x-consistency-token")!, "tester");

/** The catalog creates whatever it is asked to, at version 1 of its own stream. */
const scriptCreateProduct = () =>
  gw.downstreams.catalog.answer("createProduct", (request) => ({ productId: request.productId, ...aPosition(1, `catalog-own-${request.productId}`) }));

const expectProblem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const problem = await json(res);
  expect(problem.status).toBe(status);
  return problem;
};

describe("products", () => {
  it("creates a product: 201, the id it chose, Location, a token of the position the catalog answered", async () => {
    scriptCreateProduct();
    const res = await gw.post("/v1/products", product);
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.id).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(body.version).toBe(1);
    expect(res.headers.get("location")).toBe(`/v1/products/${String(body.id)}`);
    expect(tokenPositions(res)).toEqual(new Map([[`catalog-own-${String(body.id)}`, 1]]));
    expect(gw.downstreams.called()).toEqual(["catalog.createProduct"]);
    expect(gw.downstreams.lastRequest("catalog.createProduct")).toEqual({ productId: body.id, ...product, description: "", attributes: {} });
  });

  it("renames asynchronously, passing If-Match as the expected version", async () => {
    const id = randomUUID();
    gw.downstreams.catalog.answer("renameProduct", { ...aPosition(2), previousName: "Blue mug" });
    const res = await gw.post(`/v1/products/${id}/rename`, { name: "Navy mug" }, { "if-match": "1" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id, version: 2 });
    expect(gw.downstreams.lastRequest("catalog.renameProduct")).toEqual({ productId: id, name: "Navy mug", expectedVersion: 1 });
    expect(tokenPositions(res).get("opaque-stream-1")).toBe(2);
  });

  it("reads a quoted ETag as If-Match, and answers the catalog's concurrency refusal with 409", async () => {
    const id = randomUUID();
    gw.downstreams.catalog.fail("renameProduct", new ConcurrencyError("some-stream", 7));
    const problem = await expectProblem(await gw.post(`/v1/products/${id}/rename`, { name: "Navy mug" }, { "if-match": '"7"' }), 409);
    expect(problem.title).toBe("Concurrent modification");
    expect(gw.downstreams.lastRequest("catalog.renameProduct")).toMatchObject({ expectedVersion: 7 });
  });

  it("renames synchronously through the saga coordinator: 200 with the saga's position", async () => {
    const id = randomUUID();
    gw.downstreams.sagas.answer("renameProduct", { sagaId: `rename-${id}`, status: "COMPLETED", result: aPosition(2) });
    const res = await gw.post(`/v1/products/${id}/rename?propagation=sync`, { name: "Navy mug" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id, version: 2, status: "COMPLETED", sagaId: `rename-${id}` });
    expect(tokenPositions(res).get("opaque-stream-1")).toBe(2);
    expect(gw.downstreams.called()).toEqual(["sagas.renameProduct"]);
    expect(gw.downstreams.lastRequest("sagas.renameProduct")).toEqual({ productId: id, name: "Navy mug" });
  });

  it("answers a compensated sync rename with 409, the saga id, the reason and Location of the saga", async () => {
    const id = randomUUID();
    gw.downstreams.sagas.answer("renameProduct", { sagaId: `rename-${id}`, status: "COMPENSATED", reason: "ordering unavailable" });
    gw.downstreams.sagas.answer("get", aSaga({ sagaId: `rename-${id}`, status: "COMPENSATED" }));
    const res = await gw.post(`/v1/products/${id}/rename?propagation=sync`, { name: "Navy mug" });
    const problem = await expectProblem(res, 409);
    expect(problem).toMatchObject({ title: "Rename rolled back", sagaId: `rename-${id}`, reason: "ordering unavailable" });
    expect(res.headers.get("location")).toBe(`/v1/sagas/rename-${id}`);
    const saga = await gw.get(`/v1/sagas/rename-${id}`);
    expect(saga.status).toBe(200);
    expect(await json(saga)).toMatchObject({ sagaId: `rename-${id}`, status: "COMPENSATED" });
    expect(gw.downstreams.lastRequest("sagas.get")).toBe(`rename-${id}`);
  });

  it("changes the price and discontinues with the expected version (0 without If-Match); a rule's refusal is a 409", async () => {
    const id = randomUUID();
    gw.downstreams.catalog.answer("changeProductPrice", aPosition(2));
    const priced = await gw.post(`/v1/products/${id}/change-price`, { price: { amount: 1499, currency: "EUR" } });
    expect(await json(priced)).toEqual({ id, version: 2 });
    expect(gw.downstreams.lastRequest("catalog.changeProductPrice")).toEqual({ productId: id, price: { amount: 1499, currency: "EUR" }, expectedVersion: 0 });
    gw.downstreams.catalog.answer("discontinueProduct", aPosition(3));
    const discontinued = await gw.post(`/v1/products/${id}/discontinue`, undefined, { "if-match": "2" });
    expect(await json(discontinued)).toEqual({ id, version: 3 });
    expect(gw.downstreams.lastRequest("catalog.discontinueProduct")).toEqual({ productId: id, expectedVersion: 2 });
    gw.downstreams.catalog.fail("changeProductPrice", new RuleViolationError(`product ${id} is discontinued`));
    const problem = await expectProblem(await gw.post(`/v1/products/${id}/change-price`, { price: { amount: 1, currency: "EUR" } }), 409);
    expect(problem.title).toBe("Rejected by a business rule");
  });

  it("reads a product as the resource; without a token it asks for no consistency and sends no X-Consistency", async () => {
    const id = randomUUID();
    gw.downstreams.catalog.answer("getProduct", {
      product: aProduct({ productId: id, status: ProductStatus.PRODUCT_STATUS_DISCONTINUED, version: 3 }),
      stale: false,
    });
    const res = await gw.get(`/v1/products/${id}`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id, ...PRODUCT_DATA, status: "DISCONTINUED", version: 3 });
    expect(res.headers.get("x-consistency")).toBeNull();
    expect(gw.downstreams.lastRequest("catalog.getProduct")).toEqual({ productId: id, consistency: undefined });
  });

  it("gives a read an ETag that answers 304, and an answer to a command none", async () => {
    scriptCreateProduct();
    const created = await gw.post("/v1/products", product);
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBeNull();
    const id = String((await json(created)).id);
    gw.downstreams.catalog.answer("getProduct", { product: aProduct({ productId: id, version: 1 }), stale: false });
    const read = await gw.get(`/v1/products/${id}`);
    const etag = read.headers.get("etag");
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    // fetch would send `cache-control: no-cache` with If-None-Match: node:http asks as a cache would.
    const status = await new Promise((resolve, reject) => {
      get(`${gw.base}/v1/products/${id}`, { headers: { "if-none-match": etag!, "x-test-scopes": ALL_SCOPES } }, (answer) => {
        answer.resume();
        resolve(answer.statusCode);
      }).on("error", reject);
    });
    expect(status).toBe(304);
  });

  it("passes a presented token's positions to the query (whose owner picks its aggregate's) and says consistent or stale", async () => {
    scriptCreateProduct();
    const created = await gw.post("/v1/products", product);
    const { id } = (await json(created)) as { id: string };
    const token = created.headers.get("x-consistency-token")!;
    gw.downstreams.catalog.answer("getProduct", { product: aProduct({ productId: id }), stale: false });
    const res = await gw.get(`/v1/products/${id}`, { "x-consistency-token": token });
    expect(res.headers.get("x-consistency")).toBe("consistent");
    // The position is the one the catalog answered: the gateway builds none.
    expect(gw.downstreams.lastRequest("catalog.getProduct")).toEqual({
      productId: id,
      consistency: { minVersion: 0, waitMs: 1500, positions: [{ streamId: `catalog-own-${id}`, version: 1 }] },
    });
    gw.downstreams.catalog.answer("getProduct", { product: aProduct({ productId: id }), stale: true });
    expect((await gw.get(`/v1/products/${id}`, { "x-consistency-token": token })).headers.get("x-consistency")).toBe("stale");
  });

  it("answers asOf from the event store's query, marked with the instant; the catalog's not-found is a 404", async () => {
    const id = randomUUID();
    gw.downstreams.catalog.answer("getProductAsOf", { product: aProduct({ productId: id }) });
    const res = await gw.get(`/v1/products/${id}?asOf=2026-01-01T00:00:00Z`);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id, version: 1, asOf: "2026-01-01T00:00:00Z" });
    expect(gw.downstreams.called()).toEqual(["catalog.getProductAsOf"]);
    expect(gw.downstreams.lastRequest("catalog.getProductAsOf")).toEqual({ productId: id, asOf: "2026-01-01T00:00:00Z" });
    gw.downstreams.catalog.fail("getProductAsOf", new NotFoundError(`product ${id} did not exist then`));
    await expectProblem(await gw.get(`/v1/products/${id}?asOf=1999-01-01T00:00:00Z`), 404);
  });

  it("lists the audit trail with each entry's event data parsed", async () => {
    const id = randomUUID();
    const entry = { recordedAt: "2026-01-01T00:00:00.000Z", actor: "anonymous" };
    gw.downstreams.catalog.answer("getProductHistory", {
      entries: [
        { ...entry, version: 1, type: "catalog.ProductCreated.v1", data: JSON.stringify({ name: "Blue mug" }) },
        { ...entry, version: 2, type: "catalog.ProductRenamed.v1", data: JSON.stringify({ name: "Navy mug" }) },
      ],
      nextCursor: "",
    });
    const res = await gw.get(`/v1/products/${id}/history`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      id,
      entries: [
        { ...entry, version: 1, type: "catalog.ProductCreated.v1", data: { name: "Blue mug" } },
        { ...entry, version: 2, type: "catalog.ProductRenamed.v1", data: { name: "Navy mug" } },
      ],
      nextCursor: null,
    });
    expect(gw.downstreams.lastRequest("catalog.getProductHistory")).toEqual({ productId: id, limit: 100, cursor: "" });
  });

  it("pages the audit trail: the catalog's cursor leaves sealed and comes back opened; a tampered cursor or a limit above 500 is a 400", async () => {
    const id = randomUUID();
    const entry = { version: 1, type: "catalog.ProductCreated.v1", recordedAt: "2026-01-01T00:00:00.000Z", data: "{}", actor: "anonymous" };
    gw.downstreams.catalog.answer("getProductHistory", { entries: [entry], nextCursor: "catalog-cursor-1" });
    const first = (await json(await gw.get(`/v1/products/${id}/history?limit=1`))) as { nextCursor: string };
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.nextCursor).not.toContain("catalog-cursor");
    expect(gw.downstreams.lastRequest("catalog.getProductHistory")).toEqual({ productId: id, limit: 1, cursor: "" });
    expect((await gw.get(`/v1/products/${id}/history?limit=1&cursor=${first.nextCursor}`)).status).toBe(200);
    expect(gw.downstreams.lastRequest("catalog.getProductHistory")).toEqual({ productId: id, limit: 1, cursor: "catalog-cursor-1" });
    const calls = gw.downstreams.calls.length;
    await expectProblem(await gw.get(`/v1/products/${id}/history?cursor=${first.nextCursor.slice(0, -2)}xx`), 400);
    await expectProblem(await gw.get(`/v1/products/${id}/history?limit=501`), 400);
    expect(gw.downstreams.calls).toHaveLength(calls);
  });

  it("searches: maps the query to the catalog's request and its answer to items, total, facets, nextCursor", async () => {
    gw.downstreams.catalog.answer("searchProducts", {
      items: [aProduct()],
      total: 1,
      categories: [{ key: "kitchen", count: 1 }],
      statuses: [{ key: "ACTIVE", count: 1 }],
      priceRanges: [{ key: "*-10", from: 0, to: 1000, count: 0 }],
      nextCursor: "",
    });
    const res = await gw.get("/v1/products?q=searchable&sort=price-asc&limit=5&status=ACTIVE&minPrice=100");
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      total: 1,
      nextCursor: null,
      items: [{ id: aProduct().productId, status: "ACTIVE" }],
      // A bound of 0 is proto3's "unset": the range starts nowhere.
      facets: { categories: [{ key: "kitchen", count: 1 }], statuses: [{ key: "ACTIVE", count: 1 }], priceRanges: [{ key: "*-10", to: 1000, count: 0 }] },
    });
    expect(gw.downstreams.lastRequest("catalog.searchProducts")).toEqual({
      query: "searchable",
      category: "",
      minPrice: 100,
      maxPrice: 0,
      status: ProductStatus.PRODUCT_STATUS_ACTIVE,
      sort: 3,
      limit: 5,
      cursor: "",
    });
  });
});

describe("inventory", () => {
  it("restocks and reads on hand, reserved, available, with the restock's token", async () => {
    const productId = randomUUID();
    gw.downstreams.inventory.answer("restock", aPosition(1, "stock-own"));
    const res = await gw.post(`/v1/inventory/${productId}/restock`, { quantity: 5 });
    expect(res.status).toBe(200);
    expect(gw.downstreams.lastRequest("inventory.restock")).toEqual({ productId, quantity: 5 });
    expect(tokenPositions(res).get("stock-own")).toBe(1);
    gw.downstreams.inventory.answer("getStockLevel", { stock: { productId, onHand: 5, reserved: 1, available: 4, version: 2 }, stale: false });
    const level = await gw.get(`/v1/inventory/${productId}`, { "x-consistency-token": res.headers.get("x-consistency-token")! });
    expect(await json(level)).toEqual({ productId, onHand: 5, reserved: 1, available: 4, version: 2 });
    expect(level.headers.get("x-consistency")).toBe("consistent");
  });
});

describe("customers", () => {
  it("registers (the email as given: the customer context owns its rules), changes the address with If-Match and reads the customer", async () => {
    gw.downstreams.customers.answer("registerCustomer", (request) => ({ customerId: request.customerId, ...aPosition(1) }));
    const res = await gw.post("/v1/customers", { name: "Ada", email: "Ada@Example.com", address: addressSent });
    expect(res.status).toBe(201);
    const { id } = (await json(res)) as { id: string };
    expect(res.headers.get("location")).toBe(`/v1/customers/${id}`);
    expect(gw.downstreams.lastRequest("customers.registerCustomer")).toEqual({ customerId: id, name: "Ada", email: "Ada@Example.com", address: addressSent });

    gw.downstreams.customers.answer("changeCustomerAddress", aPosition(2));
    const changed = await gw.post(`/v1/customers/${id}/change-address`, { address: { ...address, city: "Hamburg" } }, { "if-match": "1" });
    expect(changed.status).toBe(200);
    expect(gw.downstreams.lastRequest("customers.changeCustomerAddress")).toEqual({
      customerId: id,
      address: { ...addressSent, city: "Hamburg" },
      expectedVersion: 1,
    });

    gw.downstreams.customers.answer("getCustomer", { customer: aCustomer({ customerId: id, version: 2 }), stale: false });
    const got = await gw.get(`/v1/customers/${id}`, { "x-consistency-token": changed.headers.get("x-consistency-token")! });
    expect(await json(got)).toEqual({ id, name: "Ada", email: "ada@example.com", address: aCustomer().address, version: 2 });
    expect(got.headers.get("x-consistency")).toBe("consistent");
  });
});

describe("orders", () => {
  it("places an async order: 202 PENDING with Location and token; reads it, lists it, cancels it", async () => {
    const productId = randomUUID();
    const customerId = randomUUID();
    gw.downstreams.ordering.answer("placeOrder", (request) => ({ order: anOrder({ orderId: request.orderId, customerId }), ...aPosition(1) }));
    const res = await gw.post("/v1/orders", { customerId, lines: [{ productId, quantity: 2 }] });
    expect(res.status).toBe(202);
    const placed = (await json(res)) as { id: string };
    expect(placed).toEqual({ id: placed.id, status: "PENDING", version: 1 });
    expect(res.headers.get("location")).toBe(`/v1/orders/${placed.id}`);
    expect(gw.downstreams.lastRequest("ordering.placeOrder")).toEqual({
      orderId: placed.id,
      customerId,
      lines: [{ productId, quantity: 2 }],
      flow: OrderFlow.ORDER_FLOW_ASYNC,
    });

    const order = anOrder({ orderId: placed.id, customerId });
    gw.downstreams.ordering.answer("getOrder", { order, stale: false });
    const got = await gw.get(`/v1/orders/${placed.id}`, { "x-consistency-token": res.headers.get("x-consistency-token")! });
    expect(await json(got)).toEqual({
      id: placed.id,
      customerId,
      status: "PENDING",
      flow: "ASYNC",
      lines: order.lines,
      total: { amount: 2598, currency: "EUR" },
      placedAt: order.placedAt,
      version: 1,
    });
    expect(got.headers.get("x-consistency")).toBe("consistent");

    gw.downstreams.ordering.answer("listCustomerOrders", { orders: [order], total: 1, nextCursor: "" });
    const history = await gw.get(`/v1/customers/${customerId}/orders?limit=10`);
    expect(await json(history)).toMatchObject({ total: 1, nextCursor: null, items: [{ id: placed.id }] });
    expect(gw.downstreams.lastRequest("ordering.listCustomerOrders")).toEqual({ customerId, limit: 10, cursor: "" });

    gw.downstreams.ordering.answer("cancelOrder", aPosition(2));
    const cancelled = await gw.post(`/v1/orders/${placed.id}/cancel`, { reason: "changed my mind" });
    expect(cancelled.status).toBe(200);
    expect(gw.downstreams.lastRequest("ordering.cancelOrder")).toEqual({ orderId: placed.id, reason: "changed my mind" });
  });

  it("shows a rejected order's reason and an unknown status as UNKNOWN", async () => {
    const orderId = randomUUID();
    gw.downstreams.ordering.answer("getOrder", {
      order: anOrder({ orderId, status: OrderStatus.ORDER_STATUS_REJECTED, reason: "insufficient stock" }),
      stale: false,
    });
    expect(await json(await gw.get(`/v1/orders/${orderId}`))).toMatchObject({ status: "REJECTED", reason: "insufficient stock" });
    gw.downstreams.ordering.answer("getOrder", { order: anOrder({ orderId, status: OrderStatus.UNRECOGNIZED }), stale: false });
    expect(await json(await gw.get(`/v1/orders/${orderId}`))).toMatchObject({ status: "UNKNOWN" });
  });

  it("places a sync order: 201 CONFIRMED through the saga, keyed by the order id", async () => {
    const customerId = randomUUID();
    gw.downstreams.sagas.answer("placeOrder", (request) => ({ sagaId: request.orderId, status: "COMPLETED" as const }));
    const res = await gw.post("/v1/orders?flow=sync", { customerId, lines: [{ productId: randomUUID(), quantity: 1 }] });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toEqual({ id: body.id, status: "CONFIRMED", sagaId: body.id });
    expect(res.headers.get("location")).toBe(`/v1/orders/${String(body.id)}`);
    expect(gw.downstreams.called()).toEqual(["sagas.placeOrder"]);
  });

  it("answers a sync order the saga compensated with 409 REJECTED, the saga id and reason", async () => {
    gw.downstreams.sagas.answer("placeOrder", (request) => ({ sagaId: request.orderId, status: "COMPENSATED" as const, reason: "insufficient stock" }));
    const res = await gw.post("/v1/orders?flow=sync", { customerId: randomUUID(), lines: [{ productId: randomUUID(), quantity: 1 }] });
    const problem = await expectProblem(res, 409);
    expect(problem).toMatchObject({ orderStatus: "REJECTED", reason: "insufficient stock", type: "/problems/order-rejected", title: "Order rejected" });
    expect(res.headers.get("location")).toBe(`/v1/sagas/${String(problem.sagaId)}`);
  });

  it("includes product details on the hybrid path", async () => {
    const orderId = randomUUID();
    const details = { productId: aProduct().productId, ...PRODUCT_DATA, status: "ACTIVE" };
    gw.downstreams.ordering.answer("getOrderDetails", {
      order: anOrder({ orderId }),
      products: { [details.productId]: details },
      degraded: false,
      degradedReason: "",
      stale: false,
    });
    const res = await gw.get(`/v1/orders/${orderId}?include=productDetails`);
    expect(res.status).toBe(200);
    expect(res.headers.get("warning")).toBeNull();
    expect(await json(res)).toMatchObject({ id: orderId, degraded: false, products: { [details.productId]: details } });
    expect(gw.downstreams.called()).toEqual(["ordering.getOrderDetails"]);
  });

  it("answers a degraded hybrid read with 200, degraded: true, the reason and a Warning header", async () => {
    const orderId = randomUUID();
    gw.downstreams.ordering.answer("getOrderDetails", {
      order: anOrder({ orderId }),
      products: {},
      degraded: true,
      degradedReason: "circuit open",
      stale: false,
    });
    const res = await gw.get(`/v1/orders/${orderId}?include=productDetails`);
    expect(res.status).toBe(200);
    expect(res.headers.get("warning")).toBe('199 - "product details unavailable: circuit open"');
    expect(await json(res)).toMatchObject({ degraded: true, degradedReason: "circuit open", products: {} });
  });

  it("answers ordering's and the coordinator's not-found with 404", async () => {
    gw.downstreams.ordering.fail("getOrder", new NotFoundError("order not found"));
    await expectProblem(await gw.get(`/v1/orders/${randomUUID()}`), 404);
    gw.downstreams.ordering.fail("cancelOrder", new NotFoundError("order not found"));
    await expectProblem(await gw.post(`/v1/orders/${randomUUID()}/cancel`, {}), 404);
    gw.downstreams.sagas.fail("get", new NotFoundError("saga nope not found"));
    await expectProblem(await gw.get("/v1/sagas/nope"), 404);
  });
});

describe("downstream errors map through the one table", () => {
  it.each([
    ["INVALID_ARGUMENT", new ValidationError([{ field: "name", message: "must not be blank" }]), 400],
    ["NOT_FOUND", new NotFoundError("gone"), 404],
    ["ALREADY_EXISTS", new AlreadyExistsError("SKU SKU-1 is taken"), 409],
    ["ABORTED", new ConcurrencyError("product-x", 3), 409],
    ["FAILED_PRECONDITION", new RuleViolationError("discontinued"), 409],
    ["UNAVAILABLE", new UnavailableError("catalog down"), 503],
    ["DEADLINE_EXCEEDED", new TimeoutError("slow"), 504],
  ])("%s → %s problem+json", async (_code, error, status) => {
    gw.downstreams.catalog.fail("createProduct", error);
    const res = await gw.post("/v1/products", product);
    const problem = await expectProblem(res, status);
    if (status === 503) expect(res.headers.get("retry-after")).toBe("5");
    if (status === 400) expect(problem.errors).toEqual([{ field: "name", message: "must not be blank" }]);
  });

  it.each([
    ["UNAVAILABLE", new UnavailableError("14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.0.3.7:50051"), 503],
    ["DEADLINE_EXCEEDED", new TimeoutError("4 DEADLINE_EXCEEDED: cassandra-2.internal:9042 timed out after 2000 ms"), 504],
  ])("says what kind of outage a %s is, without the driver's text (hosts, ports)", async (_code, error, status) => {
    gw.downstreams.catalog.fail("createProduct", error);
    const problem = await expectProblem(await gw.post("/v1/products", product), status);
    expect(problem.detail).toMatch(/a service this request needs/);
    expect(JSON.stringify(problem)).not.toMatch(/10\.0\.3\.7|cassandra-2|9042|50051|ECONNREFUSED/);
  });

  it("hides an unknown error as 500", async () => {
    gw.downstreams.inventory.fail("getStockLevel", new Error("boom: secret detail"));
    const problem = await expectProblem(await gw.get(`/v1/inventory/${randomUUID()}`), 500);
    expect(JSON.stringify(problem)).not.toContain("secret");
  });

  it.each([
    ["inventory", () => gw.downstreams.inventory.fail("getStockLevel", new UnavailableError("down")), () => gw.get(`/v1/inventory/${randomUUID()}`)],
    ["customer", () => gw.downstreams.customers.fail("getCustomer", new UnavailableError("down")), () => gw.get(`/v1/customers/${randomUUID()}`)],
    ["ordering", () => gw.downstreams.ordering.fail("getOrder", new UnavailableError("down")), () => gw.get(`/v1/orders/${randomUUID()}`)],
    ["sagas", () => gw.downstreams.sagas.fail("get", new UnavailableError("down")), () => gw.get("/v1/sagas/abc")],
  ])("maps %s's UNAVAILABLE to 503", async (_name, script, call) => {
    script();
    await expectProblem(await call(), 503);
  });
});

describe("scopes", () => {
  it("asks authorize for each route's scopes: 401 without credentials, 403 without the scope", async () => {
    await expectProblem(await gw.call("POST", "/v1/products", { body: product, headers: { "x-test-scopes": undefined } }), 401);
    const forbidden = await expectProblem(await gw.post("/v1/products", product, { "x-test-scopes": "read" }), 403);
    expect(forbidden.detail).toContain("catalog:write");
    gw.downstreams.inventory.answer("getStockLevel", { stock: { productId: "p", onHand: 0, reserved: 0, available: 0, version: 0 }, stale: false });
    expect((await gw.get(`/v1/inventory/${randomUUID()}`, { "x-test-scopes": "read" })).status).toBe(200);
    await expectProblem(await gw.post(`/v1/inventory/${randomUUID()}/restock`, { quantity: 1 }, { "x-test-scopes": "read catalog:write" }), 403);
    expect(gw.downstreams.called()).toEqual(["inventory.getStockLevel"]);
  });
});

describe("operations", () => {
  it("answers /healthz and /readyz with each downstream's status; 503 when one is down", async () => {
    expect(await json(await gw.get("/healthz", {}))).toEqual({ status: "ok" });
    gw.downstreams.readiness.answer("check", { ready: true, services: { "catalog-command": "SERVING", "catalog-query": "SERVING" } });
    const ready = await gw.get("/readyz");
    expect(ready.status).toBe(200);
    expect(await json(ready)).toMatchObject({ status: "ready", services: { "catalog-command": "SERVING" } });
    gw.downstreams.readiness.answer("check", { ready: false, services: { "catalog-command": "SERVING", "catalog-query": "UNREACHABLE" } });
    const down = await gw.get("/readyz");
    expect(down.status).toBe(503);
    expect(await json(down)).toMatchObject({ status: "not-ready", services: { "catalog-query": "UNREACHABLE" } });
  });

  it("answers 404 problem+json for an unknown route", async () => {
    await expectProblem(await gw.get("/v2/nothing"), 404);
  });
});
