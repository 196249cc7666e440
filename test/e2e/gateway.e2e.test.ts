import { uniqueName, waitFor, type RunningProcess } from "@bazaar/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContexts, type ContextName, type Contexts } from "./contexts.js";
import { restClient, type Json } from "./restClient.js";

/**
 * The public REST API end to end: the built gateway in front of the four contexts as real
 * processes on the real stack, as a client holding every scope.
 */
let contexts: Contexts;
let gateway: RunningProcess;
let base: string;

const CONTEXTS: ContextName[] = ["catalog", "inventory", "ordering", "customer"];

beforeAll(async () => {
  contexts = await startContexts(CONTEXTS, { ordering: { PRODUCT_DETAILS_CACHE_TTL_MS: "300" } });
  const started = await contexts.startGateway();
  gateway = started.process;
  base = started.base;
});

afterAll(async () => {
  const exit = await gateway?.stop();
  await contexts?.stopAll();
  await contexts?.cleanup();
  expect(exit).toBe(0);
});

const { post, get, json } = restClient(() => base);

describe("the gateway over the four contexts", () => {
  it("is ready when every downstream serves", async () => {
    const res = await waitFor("gateway ready", async () => {
      const ready = await get("/readyz");
      return ready.status === 200 ? ready : undefined;
    });
    const body = (await json(res)) as { services: Record<string, string> };
    expect(Object.keys(body.services)).toHaveLength(8);
    expect(new Set(Object.values(body.services))).toEqual(new Set(["SERVING"]));
  });

  it("walks a product, stock, a customer and an order through REST", async () => {
    const word = uniqueName("gwmug").replace(/_/g, "");
    const created = await post("/v1/products", {
      sku: uniqueName("SKU"),
      name: `Blue mug ${word}`,
      category: "kitchen",
      price: { amount: 1299, currency: "EUR" },
    });
    expect(created.status).toBe(201);
    const { id: productId } = (await json(created)) as { id: string };
    const createdAt = new Date();

    // Read-your-writes: the token makes the first GET wait for the projection; no polling.
    const product = await get(`/v1/products/${productId}`, { "x-consistency-token": created.headers.get("x-consistency-token")! });
    expect(product.status).toBe(200);
    expect(product.headers.get("x-consistency")).toBe("consistent");
    expect(await json(product)).toMatchObject({ id: productId, name: `Blue mug ${word}`, version: 1, status: "ACTIVE" });

    const restocked = await post(`/v1/inventory/${productId}/restock`, { quantity: 10 });
    expect(restocked.status).toBe(200);
    const stock = await get(`/v1/inventory/${productId}`, { "x-consistency-token": restocked.headers.get("x-consistency-token")! });
    expect(stock.headers.get("x-consistency")).toBe("consistent");
    expect(await json(stock)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });

    const registered = await post("/v1/customers", {
      name: "Ada",
      email: `${uniqueName("ada")}@example.com`,
      address: { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" },
    });
    expect(registered.status).toBe(201);
    const { id: customerId } = (await json(registered)) as { id: string };
    const customer = await get(`/v1/customers/${customerId}`, { "x-consistency-token": registered.headers.get("x-consistency-token")! });
    expect(customer.headers.get("x-consistency")).toBe("consistent");
    expect(await json(customer)).toMatchObject({ id: customerId, name: "Ada" });

    // Ordering learns products from catalog events: until its replica has the product, 400.
    const placed = await waitFor("order accepted", async () => {
      const res = await post("/v1/orders", { customerId, lines: [{ productId, quantity: 2 }] });
      if (res.status === 400) return undefined;
      return res;
    });
    expect(placed.status).toBe(202);
    const order = (await json(placed)) as { id: string; status: string };
    expect(order.status).toBe("PENDING");
    expect(placed.headers.get("location")).toBe(`/v1/orders/${order.id}`);

    const fresh = await get(`/v1/orders/${order.id}`, { "x-consistency-token": placed.headers.get("x-consistency-token")! });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("x-consistency")).toBe("consistent");

    await waitFor(
      "order confirmed by choreography",
      async () => {
        const res = await get(`/v1/orders/${order.id}`);
        return res.status === 200 && (await json(res)).status === "CONFIRMED" ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    await waitFor("stock reserved", async () => ((await json(await get(`/v1/inventory/${productId}`))).reserved === 2 ? true : undefined));

    // Rename, async propagation: the order history picks the new name up from events.
    const stale = await post(`/v1/products/${productId}/rename`, { name: "never" }, { "if-match": "5" });
    expect(stale.status).toBe(409);
    const renamed = await post(`/v1/products/${productId}/rename`, { name: `Navy mug ${word}` }, { "if-match": "1" });
    expect(renamed.status).toBe(200);
    expect(await json(renamed)).toEqual({ id: productId, version: 2 });
    const afterRename = await get(`/v1/products/${productId}`, { "x-consistency-token": renamed.headers.get("x-consistency-token")! });
    expect(await json(afterRename)).toMatchObject({ name: `Navy mug ${word}`, version: 2 });
    expect(afterRename.headers.get("x-consistency")).toBe("consistent");

    const history = await waitFor(
      "order history with the new name",
      async () => {
        const res = await get(`/v1/customers/${customerId}/orders`);
        const body = (await json(res)) as { items: { id: string; lines: { productName: string }[] }[] };
        return body.items[0]?.lines[0]?.productName === `Navy mug ${word}` ? body : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(history.items.map((o) => o.id)).toEqual([order.id]);

    // The hybrid path: local order, product details from the catalog.
    const details = await get(`/v1/orders/${order.id}?include=productDetails`);
    expect(details.status).toBe(200);
    expect(details.headers.get("warning")).toBeNull();
    expect(await json(details)).toMatchObject({
      id: order.id,
      status: "CONFIRMED",
      degraded: false,
      products: { [productId]: { productId, category: "kitchen" } },
    });

    // The audit trail and time travel, from the catalog's event store.
    const trail = (await json(await get(`/v1/products/${productId}/history`))) as { entries: { version: number; type: string; data: Json; actor: string }[] };
    expect(trail.entries.map((e) => [e.version, e.type])).toEqual([
      [1, "catalog.ProductCreated.v1"],
      [2, "catalog.ProductRenamed.v1"],
    ]);
    expect(trail.entries[1]?.data).toMatchObject({ name: `Navy mug ${word}`, previousName: `Blue mug ${word}` });
    // A page at a time: the catalog reads one more than the page to know a next one exists.
    const page1 = (await json(await get(`/v1/products/${productId}/history?limit=1`))) as { entries: { version: number }[]; nextCursor: string | null };
    const page2 = (await json(await get(`/v1/products/${productId}/history?limit=1&cursor=${page1.nextCursor ?? "none"}`))) as typeof page1;
    expect([page1.entries.map((e) => e.version), page2.entries.map((e) => e.version), page2.nextCursor]).toEqual([[1], [2], null]);

    const asOf = await get(`/v1/products/${productId}?asOf=${encodeURIComponent(createdAt.toISOString())}`);
    expect(asOf.status).toBe(200);
    expect(await json(asOf)).toMatchObject({ name: `Blue mug ${word}`, version: 1 });
    const before = await get(`/v1/products/${productId}?asOf=2000-01-01T00:00:00Z`);
    expect(before.status).toBe(404);
    expect(before.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("refuses bad input with 400 problem+json naming the fields, and serves its OpenAPI document", async () => {
    const res = await post("/v1/orders", { customerId: "ada", lines: [] });
    expect(res.status).toBe(400);
    const problem = (await json(res)) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(["customerId", "lines"]);
    const document = (await json(await get("/openapi.json"))) as { openapi: string; paths: Json };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toContain("/v1/orders/{id}");
  });
});
