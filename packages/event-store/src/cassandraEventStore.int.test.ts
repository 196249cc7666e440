import { randomUUID } from "node:crypto";
import { ConcurrencyError, type NewEvent } from "@bazaar/core";
import { stack, uniqueName } from "@bazaar/testing";
import type cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectCassandra, ensureKeyspace } from "./cassandra.js";
import { createCassandraEventStore, ensureEventStoreSchema } from "./cassandraEventStore.js";
import type { EventStore } from "./eventStore.js";

const keyspace = uniqueName("es_test");
let client: cassandra.Client;
let store: EventStore;

beforeAll(async () => {
  client = await connectCassandra(stack.cassandra);
  await ensureKeyspace(client, keyspace, 1);
  await ensureEventStoreSchema(client, keyspace);
  store = createCassandraEventStore(client, keyspace);
});

afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
});

const event = (type: string, data: unknown): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  recordedAt: new Date(),
  metadata: { causationId: randomUUID(), correlationId: randomUUID(), actor: "test" },
});

describe("Cassandra event store", () => {
  it("stores a command's events at consecutive versions and reads them back whole", async () => {
    const stream = `s-${randomUUID()}`;
    const events = [event("t.A.v1", { n: 1 }), event("t.B.v1", { nested: { ok: true } })];
    const result = await store.append(stream, 0, events);
    expect(result.nextExpectedVersion).toBe(2);
    const read = await store.readStream(stream);
    expect(read).toEqual(events.map((e, i) => ({ ...e, streamId: stream, version: i + 1 })));
  });

  it("reads from a version onward", async () => {
    const stream = `s-${randomUUID()}`;
    await store.append(stream, 0, [event("t.A.v1", 1), event("t.A.v1", 2), event("t.A.v1", 3)]);
    expect((await store.readStream(stream, { fromVersion: 2 })).map((e) => e.data)).toEqual([2, 3]);
  });

  it("refuses an append at a stale expected version and writes nothing", async () => {
    const stream = `s-${randomUUID()}`;
    await store.append(stream, 0, [event("t.A.v1", 1)]);
    await expect(store.append(stream, 0, [event("t.A.v1", "stale"), event("t.A.v1", "stale")])).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([1]);
  });

  it("lets exactly one of many concurrent writers take a version", async () => {
    const stream = `s-${randomUUID()}`;
    const writers = Array.from({ length: 8 }, (_, writer) =>
      store.append(stream, 0, [event("t.A.v1", { writer, n: 1 }), event("t.A.v1", { writer, n: 2 })]),
    );
    const outcomes = await Promise.allSettled(writers);
    const won = outcomes.filter((o) => o.status === "fulfilled");
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.every((o) => o.reason instanceof ConcurrencyError)).toBe(true);
    const stored = await store.readStream(stream);
    expect(stored.map((e) => e.version)).toEqual([1, 2]);
    // Both events come from the one winner: a batch lands whole or not at all.
    expect(new Set(stored.map((e) => (e.data as { writer: number }).writer)).size).toBe(1);
  });

  it("reads an unknown stream as empty", async () => {
    expect(await store.readStream(`s-${randomUUID()}`)).toEqual([]);
  });
});
