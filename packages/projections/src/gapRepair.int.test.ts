import { randomUUID } from "node:crypto";
import type { EventEnvelope, NewEvent } from "@bazaar/core";
import {
  createCassandraEventStore,
  createCassandraOutbox,
  createReliablePublisher,
  ensureEventSourcingSchema,
  missingFromEventStore,
  createRelay,
  type EventSink,
  type EventStore,
} from "@bazaar/event-store";
import { createEventPublisher, ensureStream, type MissingEvents } from "@bazaar/messaging";
import { openTestStores, stack, uniqueName, waitFor, type TestStores } from "@bazaar/testing";
import type { Client } from "@elastic/elasticsearch";
import { jetstream, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocumentProjection } from "./documentProjection.js";
import { connectElasticsearch, ensureIndex } from "./elasticsearch.js";
import { startProjector } from "./projector.js";

/**
 * The interleaving behind read models that never converged (CI on a clean clone): a writer
 * stores version 1 of a stream and dies before publishing it (here: its publish fails); later
 * versions are published at once by the next writer; the relay publishes version 1 only after
 * them. A projector that waits for the gap parks every later version — and once those fill its
 * max-ack-pending window, JetStream delivers nothing new, so version 1 never reaches it.
 */
interface LogDoc {
  versions: number[];
}

const STREAMS = 5;
const LATER = 9;
const BATCH = 8; // max-ack-pending 4 × 8 = 32 < STREAMS × LATER parked events

let stores: TestStores;
let nats: NatsConnection;
let jsm: JetStreamManager;
let es: Client;
let eventStore: EventStore;

beforeAll(async () => {
  stores = await openTestStores("gap_repair", [ensureEventSourcingSchema]);
  ({ nats, jsm } = stores);
  es = connectElasticsearch(stack.elasticsearch);
  eventStore = createCassandraEventStore(stores.cassandra, stores.keyspace);
});

afterAll(async () => {
  await stores.close();
  await es.close();
});

const newEvent = (): NewEvent => ({
  eventId: randomUUID(),
  type: "t.Happened.v1",
  data: {},
  recordedAt: new Date(),
  metadata: { causationId: "c", correlationId: "r", actor: "test" },
});

const failingSink: EventSink = {
  async publish() {
    throw new Error("NATS is down (simulated)");
  },
};

/** A JetStream stream, an index and `STREAMS` event streams in the state the crash left behind. */
const arrange = async () => {
  const name = uniqueName("GAPS").toUpperCase();
  const subjectRoot = name.toLowerCase();
  await ensureStream(jsm, { name, subjects: [`${subjectRoot}.>`], duplicateWindowMs: 120_000 });
  const alias = name.toLowerCase();
  const projection: DocumentProjection<LogDoc> = {
    name: `${alias}-projector`,
    alias,
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: { properties: { versions: { type: "long" } } },
    handlesStream: () => true,
    documentId: (streamId) => streamId,
    evolve: (current, event) => ({ versions: [...(current?.versions ?? []), event.version] }),
  };
  await ensureIndex(es, projection);
  const outbox = createCassandraOutbox(stores.cassandra, stores.keyspace);
  const sink = createEventPublisher(jetstream(nats), (e: EventEnvelope) => `${subjectRoot}.${e.streamId}`);
  const streams = Array.from({ length: STREAMS }, () => `s-${randomUUID()}`);
  const dying = createReliablePublisher({ eventStore, outbox, sink: failingSink });
  const next = createReliablePublisher({ eventStore, outbox, sink });
  for (const streamId of streams) await dying.append(streamId, 0, [newEvent()]);
  await dying.flush();
  for (const streamId of streams) for (let v = 1; v <= LATER; v++) await next.append(streamId, v, [newEvent()]);
  await next.flush();
  expect((await jsm.streams.info(name)).state.messages).toBe(STREAMS * LATER);

  const versionsOf = async () => {
    const result = await es.mget<LogDoc>({ index: alias, ids: streams });
    return result.docs.map((d) => ("found" in d && d.found ? d._source!.versions : []));
  };
  const project = (missing: MissingEvents) =>
    startProjector({
      js: jetstream(nats),
      jsm,
      es,
      stream: name,
      filterSubjects: [`${subjectRoot}.>`],
      projection,
      missing,
      logger: { info() {}, warn() {}, error() {} },
      batchSize: BATCH,
      gapRetryDelayMs: 50,
    });
  const relay = () => createRelay({ eventStore, outbox, sink, staleAfterMs: 0 });
  const cleanup = async () => {
    await jsm.streams.delete(name);
    await es.indices.delete({ index: `${alias}-*` });
    await es.indices.deleteIndexTemplate({ name: alias });
  };
  return { name, projection, versionsOf, project, relay, cleanup };
};

describe("a projector behind a gap (publish of version 1 failed, later versions published)", () => {
  it("without a way to fill gaps it stalls for good: the window fills with parked events and version 1 is never delivered", async () => {
    const { name, projection, versionsOf, project, relay, cleanup } = await arrange();
    const projector = await project(async () => []);
    const running = relay();
    try {
      expect(await running.runOnce()).toMatchObject({ leading: true, republished: STREAMS, pending: 0 });
      await running.release();
      expect((await jsm.streams.info(name)).state.messages).toBe(STREAMS * (LATER + 1));
      const stalled = await waitFor("the consumer's window full of parked events", async () => {
        const info = await jsm.consumers.info(name, projection.name);
        return info.num_ack_pending === 4 * BATCH && info.num_pending === STREAMS * (LATER + 1) - 4 * BATCH ? info : undefined;
      });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const info = await jsm.consumers.info(name, projection.name);
      expect(info.num_pending).toBe(stalled.num_pending);
      expect(info.num_redelivered).toBeGreaterThan(0);
      expect(await versionsOf()).toEqual(Array.from({ length: STREAMS }, () => []));
    } finally {
      await projector.stop();
      await cleanup();
    }
  });

  it("reads the missing versions from the event store and converges, each version applied once and in order", async () => {
    const { name, projection, versionsOf, project, relay, cleanup } = await arrange();
    const projector = await project(missingFromEventStore(eventStore));
    try {
      const all = Array.from({ length: LATER + 1 }, (_, i) => i + 1);
      expect(
        await waitFor("every stream projected to its last version", async () => {
          const versions = await versionsOf();
          return versions.every((v) => v.length === LATER + 1) ? versions : undefined;
        }),
      ).toEqual(Array.from({ length: STREAMS }, () => all));
      // The relay publishes version 1 afterwards: a duplicate now, acknowledged, nothing changes.
      const running = relay();
      expect(await running.runOnce()).toMatchObject({ leading: true, republished: STREAMS, pending: 0 });
      await running.release();
      await waitFor("the consumer drained", async () => {
        const info = await jsm.consumers.info(name, projection.name);
        return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
      });
      expect(await versionsOf()).toEqual(Array.from({ length: STREAMS }, () => all));
    } finally {
      await projector.stop();
      await cleanup();
    }
  });
});
