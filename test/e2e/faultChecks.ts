import { nameBasedUuid } from "../../gateway/src/edge/index.js";
import { connectCassandra } from "@bazaar/event-store";
import { decodeEnvelope } from "@bazaar/messaging";
import { connectStoresNats, waitFor, type Stores } from "@bazaar/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { expect } from "vitest";
import type { KeyedOrder } from "./faultTraffic.js";

/** A GET through the gateway: its status and JSON body. */
export type GetJson = (path: string) => Promise<{ status: number; body: Record<string, unknown> }>;

/** The id the gateway gives the order an Idempotency-Key places (principal, route, key). */
export const orderIdOf = (order: KeyedOrder) => nameBasedUuid(`e2e\nPOST /v1/orders\n${order.key}`);

/** Waits until every stored sync order's saga ended COMPLETED or COMPENSATED; their statuses. */
export const settledSagas = (getJson: GetJson, storedOrders: string[], orders: KeyedOrder[]): Promise<string[]> => {
  const syncIds = new Set(orders.filter((o) => o.flow === "sync").map(orderIdOf));
  return waitFor(
    "every saga settled",
    async () => {
      const sagas = await Promise.all(storedOrders.filter((id) => syncIds.has(id)).map(async (id) => ({ id, ...(await getJson(`/v1/sagas/${id}`)) })));
      const open = sagas.filter((saga) => saga.body.status !== "COMPLETED" && saga.body.status !== "COMPENSATED");
      // The timeout's message names what is still open, and why.
      if (open.length > 0)
        throw new Error(
          `${open.length} not settled: ${open
            .slice(0, 5)
            .map((s) => `${s.id} ${s.status} ${String(s.body.status)} (${String(s.body.reason ?? s.body.detail ?? "")})`)
            .join("; ")}`,
        );
      return sagas.map((saga) => saga.body.status as string);
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
};

/** Every key got an answer; every answer of a key names the one order its key derives; every acknowledged order is stored. */
export const expectOneOrderPerKey = (orders: KeyedOrder[], storedOrders: string[]) => {
  expect(orders.filter((o) => !o.settled).map((o) => `${o.flow} ${o.key}: ${o.statuses.join(",")}`)).toEqual([]);
  const storedIds = new Set(storedOrders);
  for (const order of orders) {
    // A retry never runs a command twice.
    expect([...order.ids]).toEqual([orderIdOf(order)]);
    if (order.statuses.at(-1) !== 409) expect(storedIds.has(orderIdOf(order)), `acknowledged ${order.flow} order ${orderIdOf(order)} is stored`).toBe(true);
  }
};

/** Choreography and sagas left nothing half-done: no order pending, stock reserved = orders confirmed. */
export const expectNothingHalfDone = async (getJson: GetJson, storedOrders: string[], productId: string) => {
  const statuses: string[] = [];
  // A few at a time: the gateway's bulkhead (64 calls per lane) would shed a burst of hundreds.
  for (let i = 0; i < storedOrders.length; i += 16) {
    const views = await Promise.all(storedOrders.slice(i, i + 16).map((id) => getJson(`/v1/orders/${id}`)));
    for (const view of views) expect(view.status, JSON.stringify(view.body)).toBe(200);
    statuses.push(...views.map((view) => view.body.status as string));
  }
  expect(statuses.filter((status) => status === "PENDING")).toEqual([]);
  const stock = (await getJson(`/v1/inventory/${productId}`)).body as { reserved: number };
  expect(stock.reserved).toBe(statuses.filter((status) => status === "CONFIRMED").length);
};

/** Every read model equals the fold of its event store (`bazaar projections verify` said clean). */
export const expectReadModelsClean = (verifies: { code: number | null; output: string }[], names: string[]) => {
  for (const [i, verify] of verifies.entries()) {
    expect(verify.output, names[i]).toMatch(/clean — [1-9]\d* documents/);
    expect(verify.code).toBe(0);
  }
};

/** The ids of every order the ordering context of `namespace` stored (its event streams `order-<id>`). */
export const storedOrderIds = async (stores: Stores, namespace: string): Promise<string[]> => {
  const cql = await connectCassandra(stores.cassandra);
  try {
    const rows = (await cql.execute(`SELECT DISTINCT stream_id FROM ordering_${namespace}.events`, [], { fetchSize: 10_000 })).rows;
    return rows
      .map((row) => row.get("stream_id") as string)
      .filter((id) => id.startsWith("order-"))
      .map((id) => id.slice("order-".length));
  } finally {
    await cql.shutdown();
  }
};

/**
 * Every stored event of a context's keyspace (at the client's LOCAL_QUORUM), and every event
 * published on its stream, by id: what "acknowledged = stored = published" is checked against.
 */
export const readStoredAndPublished = async (stores: Stores, keyspace: string, streamName: string) => {
  const cql = await connectCassandra(stores.cassandra);
  const nc = await connectStoresNats(stores);
  try {
    const stored: { streamId: string; eventId: string }[] = [];
    let pageState: string | undefined;
    do {
      const page = await cql.execute(`SELECT stream_id, event_id FROM ${keyspace}.events`, [], { fetchSize: 5_000, pageState });
      for (const row of page.rows) if (row.get("event_id")) stored.push({ streamId: row.get("stream_id") as string, eventId: String(row.get("event_id")) });
      pageState = page.pageState ?? undefined;
    } while (pageState);
    const total = (await (await jetstreamManager(nc)).streams.info(streamName)).state.messages;
    const consumer = await jetstream(nc).consumers.get(streamName);
    const published: string[] = [];
    while (published.length < total) {
      const batch = await consumer.fetch({ max_messages: Math.min(total - published.length, 1000), expires: 2_000 });
      for await (const msg of batch) published.push(decodeEnvelope(msg.headers, msg.data).eventId);
    }
    return { stored, published };
  } finally {
    await nc.close();
    await cql.shutdown();
  }
};
