import { connectCassandra, createCassandraEventStore } from "@bazaar/event-store";
import { decodeEnvelope } from "@bazaar/messaging";
import { connectElasticsearch, verifyProjection } from "@bazaar/projections";
import { connectStoresNats, runProcess, stack, startProcess, uniqueName, waitFor, type RunningProcess } from "@bazaar/testing";
import type { Client } from "@elastic/elasticsearch";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logProjection, type LogDoc } from "../crash/logProjection.ts";
import { root } from "./platform.js";

/**
 * Invariants 1–4 of DESIGN §6 under SIGKILL: writers killed between store and publish and
 * between publish and cursor, a projector killed between its write and its acks, a rebuild
 * killed before its swap. Afterwards, with counts: every acknowledged event is stored, stored =
 * published (once per event id) = projected (once, in version order), and verify is clean.
 */
const harness = `${root}test/crash/harness.ts`;
const STREAMS = 12;
const EVENTS = 12;
const id = uniqueName("crash").replace(/_/g, "").toLowerCase();
const env = {
  CRASH_KEYSPACE: id,
  CRASH_STREAM: id.toUpperCase(),
  CRASH_ALIAS: `${id}-log`,
  CRASH_STREAMS: String(STREAMS),
  CRASH_EVENTS_PER_STREAM: String(EVENTS),
  CASSANDRA_PORT: process.env.CASSANDRA_PORT ?? "9042",
  NATS_PORT: process.env.NATS_PORT ?? "4222",
  ES_PORT: process.env.ES_PORT ?? "9200",
};
const projection = logProjection(env.CRASH_ALIAS);

let cql: cassandra.Client;
let es: Client;
let nats: NatsConnection;
let projector: RunningProcess | undefined;

const startHarnessProjector = (crashAt = "") =>
  startProcess({ name: "projector", script: harness, args: ["projector"], env: { ...env, BAZAAR_CRASH_AT: crashAt }, readyLine: "projector ready" });
const runWriter = (crashAt = "") => runProcess(harness, ["writer"], { ...env, BAZAAR_CRASH_AT: crashAt }, 120_000);

beforeAll(async () => {
  cql = await connectCassandra(stack.cassandra);
  es = connectElasticsearch(stack.elasticsearch);
  nats = await connectStoresNats(stack);
});

afterAll(async () => {
  await projector?.stop();
  // Schema changes wait for every table to flush: seconds on a busy machine, past the default timeout.
  await cql.execute(`DROP KEYSPACE IF EXISTS ${id}`, [], { readTimeout: 60_000 });
  await cql.shutdown();
  await es.indices.delete({ index: `${env.CRASH_ALIAS}-*` }, { ignore: [404] });
  await es.indices.deleteIndexTemplate({ name: env.CRASH_ALIAS }, { ignore: [404] });
  await es.close();
  await (await jetstreamManager(nats)).streams.delete(env.CRASH_STREAM).catch(() => undefined);
  await nats.close();
});

const acknowledged = (output: string) =>
  [...output.matchAll(/^ack (\S+) (\d+) (\S+)$/gm)].map(([, streamId, version, eventId]) => ({
    streamId: streamId!,
    version: Number(version),
    eventId: eventId!,
  }));

const storedEvents = async () =>
  (await cql.execute(`SELECT stream_id, version, event_id FROM ${id}.events`)).rows.map((row) => ({
    streamId: row.get("stream_id") as string,
    version: Number(row.get("version")),
    eventId: String(row.get("event_id")),
  }));

const publishedEvents = async () => {
  const consumer = await jetstream(nats).consumers.get(env.CRASH_STREAM);
  const total = (await (await jetstreamManager(nats)).streams.info(env.CRASH_STREAM)).state.messages;
  const events = [];
  while (events.length < total) {
    const batch = await consumer.fetch({ max_messages: total - events.length, expires: 2000 });
    for await (const msg of batch) events.push(decodeEnvelope(msg.headers, msg.data));
  }
  return events;
};

describe("crash safety (SIGKILL at injected points)", () => {
  it("loses nothing, publishes once, projects once and in order", async () => {
    projector = await startHarnessProjector("projector-after-write:4");

    // Writer killed right after a store, before its publish.
    const first = await runWriter("after-store:20");
    expect(first.signal).toBe("SIGKILL");
    // Writer killed after a publish, before the cursor moved and the pending row went.
    const second = await runWriter("after-publish:15");
    expect(second.signal).toBe("SIGKILL");
    // A clean run finishes the streams; its relay republishes what the killed runs left.
    const third = await runWriter();
    expect(third.output).toContain("writer done");
    expect(third.code).toBe(0);

    // The projector died at its 4th batch, after writing and before acknowledging.
    await waitFor("projector killed at its injected point", async () => (projector!.child.signalCode === "SIGKILL" ? true : undefined), { timeoutMs: 30_000 });
    projector = await startHarnessProjector();

    // Invariant 1: every acknowledged event is stored, under its id, at its version.
    const stored = await storedEvents();
    const byKey = new Map(stored.map((e) => [`${e.streamId}@${e.version}`, e.eventId]));
    const acked = [...acknowledged(first.output), ...acknowledged(second.output), ...acknowledged(third.output)];
    expect(acked.length).toBeGreaterThan(0);
    for (const event of acked) expect(byKey.get(`${event.streamId}@${event.version}`)).toBe(event.eventId);
    // No duplicate and no missing version in any stream.
    expect(stored).toHaveLength(STREAMS * EVENTS);
    for (let s = 0; s < STREAMS; s++) {
      expect(
        stored
          .filter((e) => e.streamId === `crash-${s}`)
          .map((e) => e.version)
          .sort((a, b) => a - b),
      ).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    }

    // Invariant 2: stored = published, exactly once per event id.
    const published = await publishedEvents();
    expect(published).toHaveLength(stored.length);
    expect(new Set(published.map((e) => e.eventId))).toEqual(new Set(stored.map((e) => e.eventId)));

    // Invariant 3: each stream's events applied once, in version order.
    const docs = await waitFor(
      "every stream projected to its last version",
      async () => {
        const result = await es.mget<LogDoc>({ index: env.CRASH_ALIAS, ids: Array.from({ length: STREAMS }, (_, s) => `crash-${s}`) });
        const all = result.docs.map((d) => ("found" in d && d.found ? { version: d._version, doc: d._source } : undefined));
        return all.every((d) => d?.version === EVENTS) ? all : undefined;
      },
      { timeoutMs: 60_000 },
    );
    for (const entry of docs) expect(entry?.doc?.versions).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));

    // Invariant 4: the read model equals the fold of the event store.
    const eventStore = createCassandraEventStore(cql, id);
    expect(await verifyProjection({ es, eventStore, projection })).toEqual({ checked: STREAMS, mismatches: [] });

    // A rebuild killed after loading, before its swap: the alias still serves the old index;
    // the next rebuild succeeds, removes the half-built index, and verify stays clean.
    const oldIndices = Object.keys(await es.indices.getAlias({ name: env.CRASH_ALIAS }));
    const killed = await runProcess(harness, ["rebuild"], { ...env, BAZAAR_CRASH_AT: "rebuild-after-load" });
    expect(killed.signal).toBe("SIGKILL");
    expect(Object.keys(await es.indices.getAlias({ name: env.CRASH_ALIAS }))).toEqual(oldIndices);
    const rebuilt = await runProcess(harness, ["rebuild"], env);
    expect(rebuilt.output).toContain(`rebuild done`);
    expect(rebuilt.code).toBe(0);
    const indices = Object.keys(await es.indices.get({ index: `${env.CRASH_ALIAS}-*` }));
    expect(indices).toHaveLength(1);
    expect(oldIndices).not.toContain(indices[0]);
    expect(await verifyProjection({ es, eventStore, projection })).toEqual({ checked: STREAMS, mismatches: [] });
  });
});
