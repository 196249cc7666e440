import { randomUUID } from "node:crypto";
import type { EventEnvelope } from "@bazaar/core";
import { connectNats, createEventPublisher, ensureStream } from "@bazaar/messaging";
import { stack, uniqueName, waitFor } from "@bazaar/testing";
import type { Client } from "@elastic/elasticsearch";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocumentProjection } from "./documentProjection.js";
import { connectElasticsearch, ensureIndex } from "./elasticsearch.js";
import { applyToDocument, startProjector } from "./projector.js";

interface CounterDoc {
  id: string;
  total: number;
  seen: number[];
}

const alias = uniqueName("test-counters").toLowerCase();
const counters: DocumentProjection<CounterDoc> = {
  name: alias,
  alias,
  settings: { number_of_shards: 1, number_of_replicas: 0 },
  mappings: { properties: { id: { type: "keyword" }, total: { type: "long" }, seen: { type: "long" } } },
  documentId: (event) => (event.type === "test.Added.v1" ? event.streamId : undefined),
  evolve: (current, event) => {
    const amount = (event.data as { amount: number }).amount;
    return { id: event.streamId, total: (current?.total ?? 0) + amount, seen: [...(current?.seen ?? []), event.version] };
  },
};

const added = (streamId: string, version: number, amount: number): EventEnvelope => ({
  eventId: randomUUID(),
  type: "test.Added.v1",
  streamId,
  version,
  recordedAt: new Date(),
  data: { amount },
  metadata: { causationId: "c", correlationId: "r", actor: "test" },
});

let es: Client;
let nats: NatsConnection;

beforeAll(async () => {
  es = connectElasticsearch(stack.elasticsearch);
  nats = await connectNats({ ...stack.nats, name: "projector-test" });
  await ensureIndex(es, counters);
});

afterAll(async () => {
  await es.indices.delete({ index: `${alias}-*` });
  await es.indices.deleteIndexTemplate({ name: alias });
  await es.close();
  await nats.close();
});

describe("applyToDocument", () => {
  it("applies in order, skips duplicates and refuses gaps", async () => {
    const stream = `c-${randomUUID()}`;
    expect(await applyToDocument(es, counters, added(stream, 2, 20))).toBe("gap");
    expect(await applyToDocument(es, counters, added(stream, 1, 10))).toBe("applied");
    expect(await applyToDocument(es, counters, added(stream, 1, 10))).toBe("duplicate");
    expect(await applyToDocument(es, counters, added(stream, 3, 30))).toBe("gap");
    expect(await applyToDocument(es, counters, added(stream, 2, 20))).toBe("applied");
    expect(await applyToDocument(es, counters, added(stream, 3, 30))).toBe("applied");
    const doc = await es.get<CounterDoc>({ index: alias, id: stream });
    expect(doc._source).toEqual({ id: stream, total: 60, seen: [1, 2, 3] });
    expect(doc._version).toBe(3);
  });

  it("ignores events the projection does not handle", async () => {
    expect(await applyToDocument(es, counters, { ...added("x", 1, 1), type: "test.Other.v1" })).toBe("ignored");
  });
});

describe("projector on a durable JetStream consumer", () => {
  it("projects events published out of order and twice, each applied once in version order", async () => {
    const streamName = uniqueName("TEST").toUpperCase();
    const subjectRoot = streamName.toLowerCase();
    const jsm = await jetstreamManager(nats);
    await ensureStream(jsm, { name: streamName, subjects: [`${subjectRoot}.>`], duplicateWindowMs: 1000 });
    const publisher = createEventPublisher(jetstream(nats), (e) => `${subjectRoot}.${e.streamId}`);
    const stream = `c-${randomUUID()}`;
    const events = [1, 2, 3, 4, 5].map((v) => added(stream, v, v * 10));
    // Version 3 first, then all five (JetStream drops the second 3: same Nats-Msg-Id), then 2 again
    // under a fresh id, as a relay republishing after the dedupe window would.
    await publisher.publish([events[2]!, ...events, { ...events[1]!, eventId: randomUUID() }]);
    expect((await jsm.streams.info(streamName)).state.messages).toBe(6);

    const projector = await startProjector({
      js: jetstream(nats),
      jsm,
      es,
      stream: streamName,
      filterSubjects: [`${subjectRoot}.>`],
      projection: counters,
      logger: { info() {}, warn() {}, error() {} },
      gapRetryDelayMs: 50,
    });
    try {
      const doc = await waitFor("all five events projected", async () => {
        const result = await es.get<CounterDoc>({ index: alias, id: stream }, { ignore: [404] });
        return result._version === 5 ? result._source : undefined;
      });
      expect(doc).toEqual({ id: stream, total: 150, seen: [1, 2, 3, 4, 5] });
      const pending = await waitFor("consumer drained", async () => {
        const info = await jsm.consumers.info(streamName, counters.name);
        return info.num_pending === 0 && info.num_ack_pending === 0 ? info : undefined;
      });
      expect(pending.delivered.stream_seq).toBe(6);
    } finally {
      await projector.stop();
      await jsm.streams.delete(streamName);
    }
  });
});
