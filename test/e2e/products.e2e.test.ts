import { connectCassandra } from "@bazaar/event-store";
import { freePort, stack, startProcess, uniqueName, waitFor, type RunningProcess } from "@bazaar/testing";
import type cassandra from "cassandra-driver";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The walking skeleton end to end: REST → gRPC → Cassandra → JetStream → Elasticsearch → REST,
 * through the built catalog and gateway processes on the real local stack.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const keyspace = uniqueName("catalog_e2e");
let catalog: RunningProcess;
let gateway: RunningProcess;
let base: string;
let cql: cassandra.Client;

beforeAll(async () => {
  const grpcPort = await freePort();
  const httpPort = await freePort();
  catalog = await startProcess({
    name: "catalog",
    script: `${root}services/catalog/dist/main.js`,
    env: {
      CATALOG_GRPC_PORT: String(grpcPort),
      CATALOG_METRICS_PORT: "0",
      CATALOG_KEYSPACE: keyspace,
      CASSANDRA_CONTACT_POINTS: stack.cassandra.contactPoints.join(","),
      NATS_SERVERS: stack.nats.servers.join(","),
      ELASTICSEARCH_URL: stack.elasticsearch.node,
    },
    readyLine: "catalog ready",
  });
  gateway = await startProcess({
    name: "gateway",
    script: `${root}gateway/dist/main.js`,
    env: {
      GATEWAY_PORT: String(httpPort),
      CATALOG_COMMAND_ADDRESS: `127.0.0.1:${grpcPort}`,
      CATALOG_QUERY_ADDRESS: `127.0.0.1:${grpcPort}`,
    },
    readyLine: "gateway listening",
  });
  base = `http://127.0.0.1:${httpPort}`;
  cql = await connectCassandra(stack.cassandra);
});

afterAll(async () => {
  const gatewayExit = await gateway?.stop();
  const catalogExit = await catalog?.stop();
  await cql?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cql?.shutdown();
  // A clean SIGTERM shutdown exits 0: servers closed, NATS drained, Cassandra closed.
  expect({ gatewayExit, catalogExit }).toEqual({ gatewayExit: 0, catalogExit: 0 });
});

const storedEvents = async (): Promise<number> =>
  (await cql.execute(`SELECT count(*) AS n FROM ${keyspace}.events`)).first().get("n").toNumber();

const postProduct = (body: unknown) =>
  fetch(`${base}/v1/products`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("products through the public API", () => {
  it("creates a product and then finds it by id and by full-text search", async () => {
    const word = uniqueName("mugword").replace(/_/g, "");
    const res = await postProduct({
      sku: uniqueName("SKU"),
      name: `Blue mug ${word}`,
      description: "Stoneware, 350 ml",
      category: "kitchen",
      price: { amount: 1299, currency: "EUR" },
      attributes: { colour: "blue" },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const product = await waitFor("product in the read model", async () => {
      const got = await fetch(`${base}/v1/products/${id}`);
      return got.status === 200 ? ((await got.json()) as Record<string, unknown>) : undefined;
    });
    expect(product).toMatchObject({ id, name: `Blue mug ${word}`, price: { amount: 1299, currency: "EUR" }, status: "ACTIVE", version: 1 });

    const found = await waitFor("product searchable", async () => {
      const search = (await (await fetch(`${base}/v1/products?q=${word}`)).json()) as { items: { id: string }[]; total: number };
      return search.total > 0 ? search : undefined;
    });
    expect(found.total).toBe(1);
    expect(found.items[0]?.id).toBe(id);
    expect(await storedEvents()).toBeGreaterThanOrEqual(1);
  });

  it("answers 400 problem+json naming `name` when it is missing, and stores nothing", async () => {
    const before = await storedEvents();
    const res = await postProduct({ sku: uniqueName("SKU"), category: "kitchen", price: { amount: 1299, currency: "EUR" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(["name"]);
    expect(await storedEvents()).toBe(before);
  });

  it("answers 400 naming the field when the catalog's own rules refuse the input", async () => {
    const before = await storedEvents();
    const res = await postProduct({ sku: "bad sku with spaces", name: "Mug", category: "kitchen", price: { amount: 5, currency: "EUR" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["sku"]);
    expect(await storedEvents()).toBe(before);
  });
});
