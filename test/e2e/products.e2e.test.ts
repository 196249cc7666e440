import { connectCassandra } from "@bazaar/event-store";
import { stack, uniqueName, waitFor } from "@bazaar/testing";
import type cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./auth.js";
import { newProduct, postJson, startPlatform, type Platform } from "./platform.js";

/**
 * The walking skeleton end to end: REST → gRPC → Cassandra → JetStream → Elasticsearch → REST,
 * through the built catalog and gateway processes on the real local stack.
 */
let platform: Platform;
let cql: cassandra.Client;

beforeAll(async () => {
  platform = await startPlatform();
  cql = await connectCassandra(stack.cassandra);
});

afterAll(async () => {
  await cql?.shutdown();
  const exits = await platform?.stop();
  await platform?.cleanup();
  // A clean SIGTERM shutdown exits 0: servers closed, publications flushed, NATS drained.
  expect(exits).toEqual({ gateway: 0, catalog: 0 });
});

const storedEvents = async (): Promise<number> =>
  (await cql.execute(`SELECT count(*) AS n FROM ${platform.env.CATALOG_KEYSPACE}.events`)).first().get("n").toNumber();

describe("products through the public API", () => {
  it("creates a product and then finds it by id and by full-text search", async () => {
    const word = uniqueName("mugword").replace(/_/g, "");
    const res = await postJson(`${platform.base}/v1/products`, newProduct(`Blue mug ${word}`));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const product = await waitFor("product in the read model", async () => {
      const got = await api(`${platform.base}/v1/products/${id}`);
      return got.status === 200 ? ((await got.json()) as Record<string, unknown>) : undefined;
    });
    expect(product).toMatchObject({ id, name: `Blue mug ${word}`, price: { amount: 1299, currency: "EUR" }, status: "ACTIVE", version: 1 });

    const found = await waitFor("product searchable", async () => {
      const search = (await (await api(`${platform.base}/v1/products?q=${word}`)).json()) as { items: { id: string }[]; total: number };
      return search.total > 0 ? search : undefined;
    });
    expect(found.total).toBe(1);
    expect(found.items[0]?.id).toBe(id);
    expect(await storedEvents()).toBeGreaterThanOrEqual(1);
  });

  it("answers 400 problem+json naming `name` when it is missing, and stores nothing", async () => {
    const before = await storedEvents();
    const { name: _name, ...withoutName } = newProduct("unused");
    const res = await postJson(`${platform.base}/v1/products`, withoutName);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(["name"]);
    expect(await storedEvents()).toBe(before);
  });

  it("answers 400 naming the field when the catalog's own rules refuse the input", async () => {
    const before = await storedEvents();
    const res = await postJson(`${platform.base}/v1/products`, { ...newProduct("Mug"), sku: "bad sku with spaces" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["sku"]);
    expect(await storedEvents()).toBe(before);
  });

  it("leaves a read model equal to the fold of the event store (bazaar projections verify)", async () => {
    const { code, output } = await platform.cli(["projections", "verify", `${platform.namespace}-catalog-product-search`]);
    expect(output).toMatch(/clean — [1-9]\d* documents/);
    expect(code).toBe(0);
  });
});
