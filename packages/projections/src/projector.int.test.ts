import { randomUUID } from "node:crypto";
import type { EventEnvelope } from "@bazaar/core";
import { connectNats, createEventPublisher, DEAD_LETTER_STREAM, ensureStream, missingFromJetStream } from "@bazaar/messaging";
import { stack, uniqueName, waitFor } from "@bazaar/testing";
import type { Client } from "@elastic/elasticsearch";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocumentProjection } from "./documentProjection.js";
import { connectElasticsearch, ensureIndex } from "./elasticsearch.js";
import { applyEvents, DocumentCache, hasApplied, waitForApplied } from "./documentWriter.js";
import { startProjector } from "./projector.js";

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
  handlesStream: (streamId) => streamId.startsWith("c-"),
  documentId: (streamId) => streamId,
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

const outcomes = async (events: EventEnvelope[]) => (await applyEvents(es, counters, alias, events)).map((d) => d.outcome);

describe("applyEvents", () => {
  it("applies in order, skips duplicates and refuses gaps, one batch or many", async () => {
    const stream = `c-${randomUUID()}`;
    expect(await outcomes([added(stream, 2, 20)])).toEqual(["gap"]);
    expect(await outcomes([added(stream, 1, 10), added(stream, 1, 10), added(stream, 3, 30)])).toEqual(["applied", "duplicate", "gap"]);
    expect(await outcomes([added(stream, 3, 30), added(stream, 2, 20)])).toEqual(["applied", "applied"]);
    const doc = await es.get<CounterDoc>({ index: alias, id: stream });
    expect(doc._source).toEqual({ id: stream, total: 60, seen: [1, 2, 3] });
    expect(doc._version).toBe(3);
  });

  it("applies many streams in one batch", async () => {
    const streams = Array.from({ length: 50 }, () => `c-${randomUUID()}`);
    const events = streams.flatMap((s) => [added(s, 2, 2), added(s, 1, 1)]);
    expect((await outcomes(events)).every((o) => o === "applied")).toBe(true);
    const docs = await es.mget<CounterDoc>({ index: alias, ids: streams });
    expect(docs.docs.map((d) => ("_source" in d ? d._source?.total : undefined))).toEqual(streams.map(() => 3));
  });

  it("reads no document for a stream whose only event in the batch is its first; a redelivery of it still counts as duplicate", async () => {
    let multiGets = 0;
    const counting = new Proxy(es, {
      get: (target, key, receiver) =>
        key === "mget" ? (...args: Parameters<Client["mget"]>) => (multiGets++, target.mget(...args)) : Reflect.get(target, key, receiver),
    });
    const stream = `c-${randomUUID()}`;
    const first = added(stream, 1, 1);
    expect((await applyEvents(counting, counters, alias, [first])).map((d) => d.outcome)).toEqual(["applied"]);
    expect(multiGets).toBe(0);
    expect((await applyEvents(counting, counters, alias, [first])).map((d) => d.outcome)).toEqual(["duplicate"]);
    expect(multiGets).toBe(0);
    // With a later version beside it, what is a duplicate depends on the document: it is read.
    expect((await applyEvents(counting, counters, alias, [first, added(stream, 2, 2)])).map((d) => d.outcome)).toEqual(["duplicate", "applied"]);
    expect(multiGets).toBe(1);
    expect((await es.get<CounterDoc>({ index: alias, id: stream }))._source).toEqual({ id: stream, total: 3, seen: [1, 2] });
  });

  it("dead-letters an event whose evolve throws and moves the stream past it", async () => {
    const stream = `c-${randomUUID()}`;
    const poison = { ...added(stream, 2, 0), data: null };
    const decisions = await applyEvents(es, counters, alias, [added(stream, 1, 1), poison, added(stream, 3, 3)]);
    expect(decisions.map((d) => d.outcome)).toEqual(["applied", "dead-lettered", "applied"]);
    expect((await es.get<CounterDoc>({ index: alias, id: stream }))._source).toEqual({ id: stream, total: 4, seen: [1, 3] });
  });
});

describe("read-your-writes", () => {
  it("says whether a stream is applied up to a version, and waits for it with a bound", async () => {
    const stream = `c-${randomUUID()}`;
    expect(await hasApplied(es, counters, stream, 1)).toBe(false);
    const started = Date.now();
    expect(await waitForApplied(es, counters, { streamId: stream, version: 1 }, { timeoutMs: 200 })).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);

    const waiting = waitForApplied(es, counters, { streamId: stream, version: 2 }, { timeoutMs: 5_000 });
    await applyEvents(es, counters, alias, [added(stream, 1, 1)]);
    await applyEvents(es, counters, alias, [added(stream, 2, 2)]);
    expect(await waiting).toBe(true);
    expect(await hasApplied(es, counters, stream, 2)).toBe(true);
    expect(await hasApplied(es, counters, stream, 3)).toBe(false);
  });
});

describe("projector on a durable JetStream consumer", () => {
  it("projects events published out of order and twice, each applied once in version order", { timeout: 30_000 }, async () => {
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
    // And a message that is no event at all: it must be dead-lettered, not block the rest.
    await jetstream(nats).publish(`${subjectRoot}.garbage`, "not an event");
    expect((await jsm.streams.info(streamName)).state.messages).toBe(7);

    const projector = await startProjector({
      js: jetstream(nats),
      jsm,
      es,
      stream: streamName,
      filterSubjects: [`${subjectRoot}.>`],
      projection: counters,
      missing: missingFromJetStream(jetstream(nats), streamName, (streamId) => `${subjectRoot}.${streamId}`),
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
      expect(pending.delivered.stream_seq).toBe(7);
      const dead = await jetstream(nats).consumers.get(DEAD_LETTER_STREAM.name, { filter_subjects: [`deadletter.${counters.name}`] });
      const letter = await dead.next({ expires: 2000 });
      expect(letter?.headers?.get("Bazaar-Dead-Letter-Reason")).toMatch(/^malformed: missing header/);
      expect(letter?.string()).toBe("not an event");
    } finally {
      await projector.stop();
      await jsm.streams.delete(streamName);
    }
  });
});

describe("applyEvents with a document cache", () => {
  it("skips reading back what it wrote, and a stale entry costs a conflict, never a wrong document", async () => {
    const stream = `c-${randomUUID()}`;
    const cache = new DocumentCache<CounterDoc>(100);
    expect((await applyEvents(es, counters, alias, [added(stream, 1, 1)], { cache })).map((d) => d.outcome)).toEqual(["applied"]);
    expect(cache.get(stream)?.version).toBe(1);
    // Another projector moves the document on; this one's cache still says version 1.
    await applyEvents(es, counters, alias, [added(stream, 2, 2), added(stream, 3, 3)]);
    expect((await applyEvents(es, counters, alias, [added(stream, 2, 2)], { cache })).map((d) => d.outcome)).toEqual(["duplicate"]);
    expect(cache.get(stream)).toBeUndefined();
    expect((await applyEvents(es, counters, alias, [added(stream, 4, 4)], { cache })).map((d) => d.outcome)).toEqual(["applied"]);
    expect((await es.get<CounterDoc>({ index: alias, id: stream }))._source).toEqual({ id: stream, total: 10, seen: [1, 2, 3, 4] });
  });
});
