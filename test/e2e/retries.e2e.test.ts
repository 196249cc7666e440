import { randomUUID } from "node:crypto";
import { connectCassandra } from "@bazaar/event-store";
import { stack, uniqueName, waitFor, type RunningProcess } from "@bazaar/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nameBasedUuid } from "../../gateway/src/edge/index.js";
import { api } from "./auth.js";
import { startContexts, type Contexts } from "./contexts.js";
import { isProductStream, productStreamId } from "@bazaar/catalog/domain";

/**
 * A retry never runs a command twice (issue: safe retries). The context stores a create and then
 * hangs before answering (`BAZAAR_STALL_AT=after-store:3000`, its first command only): the
 * client gets 504 within the request budget and the Idempotency-Key is freed (a 5xx), though the
 * create happened — an outcome the client never saw. Its retry with the same key must get that
 * resource: the same id, one aggregate, and no false "SKU / email already taken".
 */
let contexts: Contexts;
let gateway: RunningProcess;
let base: string;

beforeAll(async () => {
  const stall = { BAZAAR_STALL_AT: "after-store:3000" };
  contexts = await startContexts(["catalog", "customer"], { catalog: stall, customer: stall });
  ({ process: gateway, base } = await contexts.startGateway({ REQUEST_BUDGET_MS: "1500", DOWNSTREAM_TIMEOUT_MS: "1500", BREAKER_VOLUME_THRESHOLD: "100" }));
});

afterAll(async () => {
  await gateway?.stop();
  await contexts?.stopAll();
  await contexts?.cleanup();
});

const post = (path: string, key: string, body: unknown) =>
  api(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", "idempotency-key": key }, body: JSON.stringify(body) });

/** How many streams of the context's keyspace start with `prefix`: created aggregates. */
const streamsIn = async (context: "catalog" | "customer", prefix: string) => {
  const cql = await connectCassandra(stack.cassandra);
  try {
    const rows = (await cql.execute(`SELECT DISTINCT stream_id FROM ${context}_${contexts.namespace}.events`)).rows;
    return rows.map((row) => row.get("stream_id") as string).filter((id) => id.startsWith(prefix));
  } finally {
    await cql.shutdown();
  }
};

describe("a retry after an unknown outcome", () => {
  it("creates one product: the retry gets the product the hung first attempt created, not a second or a false 409", async () => {
    const key = randomUUID();
    const product = { sku: uniqueName("RETRY"), name: "Retry mug", category: "kitchen", price: { amount: 1200, currency: "EUR" } };
    const first = await post("/v1/products", key, product);
    expect(first.status).toBe(504);
    // The product exists though the client saw a 504.
    const id = nameBasedUuid(`e2e\nPOST /v1/products\n${key}`);
    await waitFor("the held create stored", async () => ((await streamsIn("catalog", productStreamId(id))).length === 1 ? true : undefined));

    const retry = await post("/v1/products", key, product);
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { id: string }).id).toBe(id);
    expect((await streamsIn("catalog", "")).filter(isProductStream)).toEqual([productStreamId(id)]);
  });

  it("registers one customer: the retry gets the registration the hung first attempt made, not a false 'email taken'", async () => {
    const key = randomUUID();
    const customer = {
      name: "Ada",
      email: `${uniqueName("ada")}@example.com`,
      address: { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" },
    };
    expect((await post("/v1/customers", key, customer)).status).toBe(504);
    const id = nameBasedUuid(`e2e\nPOST /v1/customers\n${key}`);
    await waitFor("the held registration stored", async () => ((await streamsIn("customer", "")).some((s) => s.endsWith(id)) ? true : undefined));

    const retry = await post("/v1/customers", key, customer);
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { id: string }).id).toBe(id);
    expect((await streamsIn("customer", "")).filter((s) => !s.startsWith("$"))).toHaveLength(1);
  });
});
