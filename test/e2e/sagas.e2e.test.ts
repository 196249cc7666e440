import { randomUUID } from "node:crypto";
import { connectCassandra } from "@bazaar/event-store";
import { connectNats } from "@bazaar/messaging";
import { jetstream } from "@nats-io/jetstream";
import { stack, uniqueName, waitFor, type RunningProcess } from "@bazaar/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_HS256_SECRET, mintToken } from "../../gateway/src/edge/index.js";
import { api, bearer } from "./auth.js";
import { metricsUrlOf, startContexts, type Contexts } from "./contexts.js";
import { restClient } from "./restClient.js";

/**
 * The synchronous side of the comparison, through REST on real processes: orchestrated orders
 * and renames with rollback, a gateway SIGKILLed mid-saga and recovered (invariant 5), circuit
 * breakers opening and closing, Idempotency-Key replays, and authentication failures.
 */
let contexts: Contexts;
let gateway: RunningProcess;
let base: string;
let restartGateway: (env?: Record<string, string>) => Promise<RunningProcess>;

beforeAll(async () => {
  // A short product-details cache, so the hybrid test sees the catalog's absence soon after killing it.
  contexts = await startContexts(["catalog", "inventory", "ordering", "customer"], { ordering: { PRODUCT_DETAILS_CACHE_TTL_MS: "300" } });
  const started = await contexts.startGateway({
    SAGA_RECOVER_AFTER_MS: "1000",
    SAGA_RECOVERY_INTERVAL_MS: "500",
    BREAKER_VOLUME_THRESHOLD: "4",
    BREAKER_RESET_TIMEOUT_MS: "2000",
    DOWNSTREAM_TIMEOUT_MS: "1500",
    BREAKER_TIMEOUT_MS: "2000",
  });
  ({ process: gateway, base } = started);
  restartGateway = started.restart;
});

afterAll(async () => {
  await gateway?.stop();
  await contexts?.stopAll();
  await contexts?.cleanup();
});

const { post, get, json, newProduct } = restClient(() => base);
const customerId = randomUUID();
/** A cursor as the server would encode it, with values of the caller's choosing. */
const tampered = (sort: string, after: unknown[]) => Buffer.from(JSON.stringify({ sort, after })).toString("base64url");
const placeSync = (lines: { productId: string; quantity: number }[]) =>
  waitFor("a sync order answered", async () => {
    const res = await post("/v1/orders?flow=sync", { customerId, lines });
    return res.status === 400 ? undefined : res; // ordering's replica may not know the product yet
  });
const available = async (productId: string) => ((await json(await get(`/v1/inventory/${productId}`))) as { available: number }).available;

describe("orchestrated orders (flow=sync)", () => {
  it("confirms with stock (201) and rejects without (409), the saga's steps on record", async () => {
    const mug = await newProduct("Saga mug", 3);
    const confirmed = await placeSync([{ productId: mug, quantity: 2 }]);
    expect(confirmed.status).toBe(201);
    const { id, sagaId } = (await json(confirmed)) as { id: string; sagaId: string };
    const saga = await json(await get(`/v1/sagas/${sagaId}`));
    expect(saga).toMatchObject({ status: "COMPLETED", type: "place-order" });
    expect((saga.steps as { name: string; status: string }[]).map((s) => `${s.name}:${s.status}`)).toEqual([
      "ordering.create:DONE",
      "inventory.reserve:DONE",
      "ordering.confirm:DONE",
    ]);
    expect((await json(await get(`/v1/orders/${id}`))).status).toBe("CONFIRMED");

    const rejected = await placeSync([{ productId: mug, quantity: 5 }]);
    expect(rejected.status).toBe(409);
    const problem = await json(rejected);
    expect(problem).toMatchObject({ orderStatus: "REJECTED", reason: expect.stringMatching(/stock/i) });
    await waitFor("rejected order", async () => ((await json(await get(`/v1/orders/${problem.orderId as string}`))).status === "REJECTED" ? true : undefined));
    expect(await available(mug)).toBe(1);
  });

  it("a gateway SIGKILLed after reserving stock is restarted and compensates the saga (invariant 5)", async () => {
    const bowl = await newProduct("Crash bowl", 5);
    await gateway.stop();
    gateway = await restartGateway({ BAZAAR_CRASH_AT: "saga-after/inventory.reserve" });
    // The connection dies with the gateway, after the stock was reserved and before confirming.
    await expect(post("/v1/orders?flow=sync", { customerId, lines: [{ productId: bowl, quantity: 2 }] })).rejects.toThrow();
    await waitFor("gateway died", async () => (gateway.child.signalCode === "SIGKILL" ? true : undefined));
    gateway = await restartGateway();
    // The order id is the saga id; find it through the customer's history.
    const order = await waitFor(
      "the crashed order, compensated",
      async () => {
        const history = (await json(await get(`/v1/customers/${customerId}/orders?limit=100`))) as {
          items: { id: string; status: string; lines: { productId: string }[] }[];
        };
        const found = history.items.find((o) => o.lines.some((l) => l.productId === bowl));
        return found?.status === "REJECTED" ? found : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const saga = await json(await get(`/v1/sagas/${order.id}`));
    expect(saga.status).toBe("COMPENSATED");
    expect(
      (saga.steps as { name: string; kind: string; status: string }[]).filter((s) => s.kind === "compensation").map((s) => `${s.name}:${s.status}`),
    ).toEqual(["undo inventory.reserve:DONE", "undo ordering.create:DONE"]);
    await waitFor("stock released", async () => ((await available(bowl)) === 5 ? true : undefined));
  });
});

describe("renames", () => {
  it("sync: with ordering killed the rename is compensated and the product keeps its name; async: 200 and ordering catches up", async () => {
    const plate = await newProduct("Old plate", 5);
    const order = await placeSync([{ productId: plate, quantity: 1 }]);
    const { id: orderId } = (await json(order)) as { id: string };

    const renamed = await post(`/v1/products/${plate}/rename?propagation=sync`, { name: "Synced plate" });
    expect(renamed.status).toBe(200);
    // Ordering's copy has the name before the answer: an order placed right after quotes it ...
    const next = await json(await placeSync([{ productId: plate, quantity: 1 }]));
    expect((await json(await get(`/v1/orders/${next.id as string}`))).lines).toMatchObject([{ productName: "Synced plate" }]);
    // ... and the orders placed before follow from the catalog's event.
    await waitFor("the earlier order renamed", async () => {
      const view = await json(await get(`/v1/orders/${orderId}`));
      return (view.lines as { productName: string }[] | undefined)?.[0]?.productName === "Synced plate" ? true : undefined;
    });

    await contexts.kill("ordering");
    const refused = await post(`/v1/products/${plate}/rename?propagation=sync`, { name: "Doomed plate" });
    expect(refused.status).toBe(409);
    const problem = await json(refused);
    const saga = await json(await get(`/v1/sagas/${problem.sagaId as string}`));
    expect(saga.status).toBe("COMPENSATED");
    await waitFor("name restored", async () => ((await json(await get(`/v1/products/${plate}`))).name === "Synced plate" ? true : undefined));
    const history = (await json(await get(`/v1/products/${plate}/history`))) as { entries: { type: string; data: unknown; actor: string }[] };
    const renames = history.entries.filter((e) => e.type === "catalog.ProductRenamed.v1");
    expect(renames.map((e) => (e.data as { name: string }).name)).toEqual(["Synced plate", "Doomed plate", "Synced plate"]);
    // The saga's calls carry the caller: the audit trail says who renamed (and restored) it.
    expect(new Set(renames.map((e) => e.actor))).toEqual(new Set(["e2e"]));

    const asynchronous = await post(`/v1/products/${plate}/rename`, { name: "Async plate" });
    expect(asynchronous.status).toBe(200);
    await contexts.start("ordering");
    await waitFor(
      "ordering caught up",
      async () => {
        const view = await json(await get(`/v1/orders/${orderId}`));
        return (view.lines as { productName: string }[] | undefined)?.[0]?.productName === "Async plate" ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
  });
});

describe("the pipeline for operators", () => {
  it("shows every projector's and reaction's lag and what each dead-lettered, staff only", async () => {
    type Pipeline = {
      consumers: { context: string; consumer: string; pending: number; ackPending: number }[];
      deadLetters: { consumer: string; count: number }[];
    };
    await newProduct("Watched lamp", 1);
    const pipeline = (await json(await get("/v1/operations/pipeline"))) as unknown as Pipeline;
    const ours = pipeline.consumers.filter((c) => c.consumer.startsWith(`${contexts.namespace}-`));
    expect(ours.length).toBe(pipeline.consumers.length);
    // The catalog's read model, and the reactions of ordering (replica) to it and of inventory to ordering.
    expect(ours.filter((c) => c.context === "catalog").map((c) => c.consumer)).toEqual(
      expect.arrayContaining([expect.stringContaining("product"), expect.stringContaining("ordering")]),
    );
    expect(ours.filter((c) => c.context === "ordering").map((c) => c.consumer)).toEqual(expect.arrayContaining([expect.stringContaining("inventory")]));
    for (const c of ours) expect(c.pending).toBeGreaterThanOrEqual(0);

    // A dead letter of one of our consumers shows up under its name (another namespace's does not).
    const catalogProjector = ours.find((c) => c.context === "catalog" && c.consumer.includes("product"))!.consumer;
    const nc = await connectNats({ ...stack.nats, name: "pipeline-test" });
    try {
      await jetstream(nc).publish(`deadletter.${catalogProjector}`, JSON.stringify({ reason: "test" }));
      await jetstream(nc).publish(`deadletter.${uniqueName("elsewhere")}`, JSON.stringify({ reason: "test" }));
    } finally {
      await nc.close();
    }
    const after = (await json(await get("/v1/operations/pipeline"))) as unknown as Pipeline;
    expect(after.deadLetters).toEqual([{ consumer: catalogProjector, count: 1 }]);

    const customerToken = await mintToken({ secret: DEV_HS256_SECRET, subject: "a-customer", scopes: ["read"], ttlSeconds: 600, customerId: randomUUID() });
    const endUser = await fetch(`${base}/v1/operations/pipeline`, { headers: { authorization: `Bearer ${customerToken}` } });
    expect(endUser.status).toBe(403);
  });
});

describe("the remaining commands", () => {
  it("changes a customer's address with If-Match and discontinues a product, which then refuses a rename", async () => {
    const registered = await post("/v1/customers", {
      name: "Grace",
      email: `${uniqueName("grace")}@example.com`,
      address: { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" },
    });
    expect(registered.status).toBe(201);
    const { id } = (await json(registered)) as { id: string };
    const moved = await post(
      `/v1/customers/${id}/change-address`,
      { address: { line1: "Side St 2", postalCode: "80331", city: "Munich", country: "DE" } },
      { "if-match": "1" },
    );
    expect(moved.status).toBe(200);
    const stale = await post(
      `/v1/customers/${id}/change-address`,
      { address: { line1: "Elsewhere 3", postalCode: "20095", city: "Hamburg", country: "DE" } },
      { "if-match": "1" },
    );
    expect(stale.status).toBe(409);
    const profile = await api(`${base}/v1/customers/${id}`, { headers: { "x-consistency-token": moved.headers.get("x-consistency-token")! } });
    expect(await json(profile)).toMatchObject({ address: { city: "Munich" }, version: 2 });

    const vase = await newProduct("Last vase", 0);
    expect((await post(`/v1/products/${vase}/discontinue`, {})).status).toBe(200);
    const refused = await post(`/v1/products/${vase}/rename`, { name: "Revived vase" });
    expect(refused.status).toBe(409);
    expect((await json(refused)).detail).toMatch(/discontinued/);
  });
});

describe("the edge", () => {
  it("opens a breaker when a service is down, answers 503 fast with Retry-After, and closes it when the service is back", async () => {
    const cup = await newProduct("Breaker cup", 0);
    await contexts.stop("customer");
    const id = randomUUID();
    const timings: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 12; i++) {
      const started = performance.now();
      last = await get(`/v1/customers/${id}`);
      timings.push(performance.now() - started);
      expect(last.status).toBe(503);
    }
    expect(last?.headers.get("retry-after")).toBeTruthy();
    const metrics = await (await fetch(metricsUrlOf(gateway))).text();
    expect(metrics).toMatch(/bazaar_gateway_breaker_state\{[^}]*service="customer"[^}]*\} 2/);
    expect(Math.max(...timings.slice(-4))).toBeLessThan(100);
    const ready = await json(await fetch(`${base}/readyz`));
    expect(ready.breakers).toEqual(expect.arrayContaining([expect.objectContaining({ service: "customer", method: "getCustomer", state: "open" })]));
    // Other services are unaffected.
    expect((await get(`/v1/products/${cup}`)).status).toBe(200);
    await contexts.start("customer");
    await waitFor("breaker closed", async () => ((await get(`/v1/customers/${id}`)).status === 404 ? true : undefined), { timeoutMs: 30_000, intervalMs: 500 });
  });

  it("answers order details from the local copy, degraded, with the catalog killed — fast once ordering's breaker is open", async () => {
    const jug = await newProduct("Hybrid jug", 5);
    const placed = await placeSync([{ productId: jug, quantity: 1 }]);
    const { id } = (await json(placed)) as { id: string };
    await waitFor("details with the catalog up", async () =>
      (await json(await get(`/v1/orders/${id}?include=productDetails`))).degraded === false ? true : undefined,
    );
    await contexts.kill("catalog");
    await new Promise((resolve) => setTimeout(resolve, 400));
    const timings: number[] = [];
    for (let i = 0; i < 60; i++) {
      const started = performance.now();
      const res = await get(`/v1/orders/${id}?include=productDetails`);
      timings.push(performance.now() - started);
      expect(res.status).toBe(200);
      const body = await json(res);
      if (i >= 20) {
        expect(body).toMatchObject({ degraded: true });
        expect(res.headers.get("warning")).toMatch(/^199 - "product details unavailable/);
      }
    }
    const open = timings.slice(20).sort((a, b) => a - b);
    const p99 = open[Math.ceil(open.length * 0.99) - 1]!;
    console.log(`REST hybrid fallback, breaker open (40 calls): p50 ${open[Math.floor(open.length / 2)]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    expect(p99).toBeLessThan(200);
    await contexts.start("catalog");
    await waitFor("catalog back behind the gateway", async () => ((await get(`/v1/products/${jug}`)).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 500,
    });
  });

  it("replays an Idempotency-Key's response and refuses the key with another body", async () => {
    const key = randomUUID();
    const body = { sku: uniqueName("SKU"), name: "Idempotent mug", category: "kitchen", price: { amount: 500, currency: "EUR" } };
    const first = await post("/v1/products", body, { "idempotency-key": key });
    const again = await post("/v1/products", body, { "idempotency-key": key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(again)).toEqual(await json(first));
    const other = await post("/v1/products", { ...body, name: "Other mug" }, { "idempotency-key": key });
    expect(other.status).toBe(422);
  });

  it("answers at least 30 malformed requests 4xx problem+json, and nothing changes anywhere", async () => {
    const product = await newProduct("Untouchable mug", 2);
    const unknown = randomUUID();
    const raw = (path: string, body: string, type = "application/json") => api(`${base}${path}`, { method: "POST", headers: { "content-type": type }, body });
    const malformed: [string, () => Promise<Response>][] = [
      ["product without name", () => post("/v1/products", { sku: "S-1", category: "c", price: { amount: 1, currency: "EUR" } })],
      ["price as a string", () => post("/v1/products", { sku: "S-1", name: "n", category: "c", price: "12.99" })],
      ["fractional amount", () => post("/v1/products", { sku: "S-1", name: "n", category: "c", price: { amount: 1.5, currency: "EUR" } })],
      ["negative amount", () => post("/v1/products", { sku: "S-1", name: "n", category: "c", price: { amount: -1, currency: "EUR" } })],
      ["lower-case currency", () => post("/v1/products", { sku: "S-1", name: "n", category: "c", price: { amount: 1, currency: "eur" } })],
      ["unknown field", () => post("/v1/products", { sku: "S-1", name: "n", category: "c", price: { amount: 1, currency: "EUR" }, colour: "x" })],
      ["sku with spaces", () => post("/v1/products", { sku: "bad sku", name: "n", category: "c", price: { amount: 1, currency: "EUR" } })],
      ["bad JSON", () => raw("/v1/products", "{ not json")],
      ["JSON array body", () => raw("/v1/products", "[1,2,3]")],
      ["huge body", () => post("/v1/products", { sku: "S-1", name: "x".repeat(200_000), category: "c", price: { amount: 1, currency: "EUR" } })],
      ["rename without name", () => post(`/v1/products/${product}/rename`, {})],
      ["rename with a number", () => post(`/v1/products/${product}/rename`, { name: 42 })],
      ["rename, bad If-Match", () => post(`/v1/products/${product}/rename`, { name: "x" }, { "if-match": "yesterday" })],
      ["rename, bad propagation", () => post(`/v1/products/${product}/rename?propagation=maybe`, { name: "x" })],
      ["rename, non-UUID id", () => post("/v1/products/not-a-uuid/rename", { name: "x" })],
      ["rename, unknown product", () => post(`/v1/products/${unknown}/rename`, { name: "x" })],
      ["price zero", () => post(`/v1/products/${product}/change-price`, { price: { amount: 0, currency: "EUR" } })],
      ["price in another currency", () => post(`/v1/products/${product}/change-price`, { price: { amount: 5, currency: "USD" } })],
      ["discontinue unknown", () => post(`/v1/products/${unknown}/discontinue`, {})],
      ["restock negative", () => post(`/v1/inventory/${product}/restock`, { quantity: -3 })],
      ["restock zero", () => post(`/v1/inventory/${product}/restock`, { quantity: 0 })],
      ["restock as a string", () => post(`/v1/inventory/${product}/restock`, { quantity: "10" })],
      ["restock non-UUID", () => post("/v1/inventory/123/restock", { quantity: 1 })],
      [
        "customer bad email",
        () => post("/v1/customers", { name: "A", email: "not-an-email", address: { line1: "a", postalCode: "1", city: "c", country: "DE" } }),
      ],
      ["customer without address", () => post("/v1/customers", { name: "A", email: "a@example.com" })],
      [
        "customer bad country",
        () => post("/v1/customers", { name: "A", email: "a@example.com", address: { line1: "a", postalCode: "1", city: "c", country: "Germany" } }),
      ],
      [
        "address change of unknown customer",
        () => post(`/v1/customers/${unknown}/change-address`, { address: { line1: "a", postalCode: "1", city: "c", country: "DE" } }),
      ],
      ["order without lines", () => post("/v1/orders", { customerId, lines: [] })],
      ["order negative quantity", () => post("/v1/orders", { customerId, lines: [{ productId: product, quantity: -1 }] })],
      ["order unknown product", () => post("/v1/orders", { customerId, lines: [{ productId: unknown, quantity: 1 }] })],
      [
        "order product twice",
        () =>
          post("/v1/orders", {
            customerId,
            lines: [
              { productId: product, quantity: 1 },
              { productId: product, quantity: 1 },
            ],
          }),
      ],
      ["order bad flow", () => post("/v1/orders?flow=later", { customerId, lines: [{ productId: product, quantity: 1 }] })],
      ["order non-UUID customer", () => post("/v1/orders", { customerId: "me", lines: [{ productId: product, quantity: 1 }] })],
      ["cancel unknown order", () => post(`/v1/orders/${unknown}/cancel`, {})],
      ["search bad limit", () => get("/v1/products?limit=0")],
      ["search bad cursor", () => get("/v1/products?cursor=garbage")],
      // Well-formed cursors with values of the wrong type for their sort: Elasticsearch refuses them.
      ["search tampered cursor", () => get(`/v1/products?sort=price-asc&cursor=${tampered("price-asc", ["not-a-price", "x"])}`)],
      ["search cursor with an object", () => get(`/v1/products?cursor=${tampered("relevance", [{ script: "1" }, "x"])}`)],
      ["order history tampered cursor", () => get(`/v1/customers/${customerId}/orders?cursor=${tampered("placedAt-desc", ["yesterday", 7])}`)],
      ["asOf not a date", () => get(`/v1/products/${product}?asOf=tomorrow`)],
      ["tampered consistency token", () => api(`${base}/v1/products/${product}`, { headers: { "x-consistency-token": "abc.def" } })],
      ["unknown saga", () => get(`/v1/sagas/${unknown}`)],
    ];
    const events = async () => {
      const cql = await connectCassandra(stack.cassandra);
      try {
        let total = 0;
        for (const context of ["catalog", "inventory", "ordering", "customer"]) {
          total += Number((await cql.execute(`SELECT count(*) AS n FROM ${context}_${contexts.namespace}.events`)).first().get("n"));
        }
        return total;
      } finally {
        await cql.shutdown();
      }
    };
    const before = await events();
    for (const [label, request] of malformed) {
      const res = await request();
      expect(res.status, label).toBeGreaterThanOrEqual(400);
      expect(res.status, label).toBeLessThan(500);
      expect(res.headers.get("content-type"), label).toMatch(/^application\/problem\+json/);
    }
    expect(malformed.length).toBeGreaterThanOrEqual(30);
    expect(await events()).toBe(before);
    expect((await json(await get(`/v1/products/${product}`))).name).toBe("Untouchable mug");
  });

  it("answers 401 without a valid token and 403 without the scope, as problem+json", async () => {
    const anonymous = await fetch(`${base}/v1/products?q=mug`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const forged = await fetch(`${base}/v1/products?q=mug`, { headers: { authorization: `${bearer}x` } });
    expect(forged.status).toBe(401);
    const { mintToken, DEV_HS256_SECRET } = await import("../../gateway/src/edge/index.js");
    const readOnly = await mintToken({ secret: DEV_HS256_SECRET, subject: "reader", scopes: ["read"], ttlSeconds: 60 });
    const refused = await fetch(`${base}/v1/products`, {
      method: "POST",
      headers: { authorization: `Bearer ${readOnly}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/catalog:write/);
  });
});
