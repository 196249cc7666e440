/**
 * Crash-test harness: a writer, a projector and a rebuilder as real processes on the real
 * stack, each honouring BAZAAR_CRASH_AT (see packages/event-store/src/faults.ts). Run with
 * Node 24 directly (type stripping): `node test/crash/harness.ts <writer|projector|rebuild>`.
 *
 * The writer appends to a few hot streams from several concurrent workers, one or two events
 * per command, until every stream holds EVENTS_PER_STREAM events; rerun after a crash, it picks
 * up where the store says it is. It prints `ack <stream> <version> <eventId>` per acknowledged
 * event. The projector keeps one document per stream listing the versions it applied, in the
 * order it applied them, so a duplicate or an out-of-order application is visible in the data.
 */
import { randomUUID } from "node:crypto";
import { ConcurrencyError } from "@bazaar/core";
import {
  connectCassandra,
  createCassandraEventStore,
  createCassandraOutbox,
  createReliablePublisher,
  ensureEventSourcingSchema,
  ensureKeyspace,
  missingFromEventStore,
  startRelay,
} from "@bazaar/event-store";
import { connectNats, createEventPublisher, ensureStream } from "@bazaar/messaging";
import { connectElasticsearch, ensureIndex, rebuildProjection, startProjector } from "@bazaar/projections";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { logProjection } from "./logProjection.ts";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const settings = () => ({
  keyspace: env("CRASH_KEYSPACE"),
  stream: env("CRASH_STREAM"),
  subjects: [`${env("CRASH_STREAM").toLowerCase()}.>`],
  alias: env("CRASH_ALIAS"),
  streams: Number(process.env.CRASH_STREAMS ?? 12),
  eventsPerStream: Number(process.env.CRASH_EVENTS_PER_STREAM ?? 12),
  workers: Number(process.env.CRASH_WORKERS ?? 6),
  cassandra: {
    contactPoints: [`127.0.0.1:${process.env.CASSANDRA_PORT ?? "9042"}`],
    localDataCenter: "datacenter1",
    replicationFactor: 1,
    // The stack's login, as the test that spawned this process has it.
    ...(process.env.CASSANDRA_USERNAME ? { username: process.env.CASSANDRA_USERNAME, password: process.env.CASSANDRA_PASSWORD ?? "" } : {}),
  },
  nats: {
    servers: [`nats://127.0.0.1:${process.env.NATS_PORT ?? "4222"}`],
    ...(process.env.NATS_USER ? { user: process.env.NATS_USER, pass: process.env.NATS_PASSWORD ?? "" } : {}),
  },
  elasticsearch: { node: `http://127.0.0.1:${process.env.ES_PORT ?? "9200"}`, requestTimeoutMs: 30_000 },
});

/** Connects as the role `name`, creating the run's keyspace, its event-store tables and its stream when missing (whoever starts first). */
const openStores = async (s: ReturnType<typeof settings>, name: string) => {
  const cassandra = await connectCassandra(s.cassandra);
  await ensureKeyspace(cassandra, s.keyspace, 1);
  await ensureEventSourcingSchema(cassandra, s.keyspace);
  const nats = await connectNats({ ...s.nats, name });
  const jsm = await jetstreamManager(nats);
  await ensureStream(jsm, { name: s.stream, subjects: s.subjects, duplicateWindowMs: 120_000 });
  return { cassandra, nats, jsm };
};

const writer = async () => {
  const s = settings();
  const { cassandra, nats } = await openStores(s, "crash-writer");
  const eventStore = createCassandraEventStore(cassandra, s.keyspace);
  const outbox = createCassandraOutbox(cassandra, s.keyspace);
  const sink = createEventPublisher(jetstream(nats), (e) => `${s.stream.toLowerCase()}.${e.streamId}`);
  const publisher = createReliablePublisher({ eventStore, outbox, sink });
  const relay = startRelay({ eventStore, outbox, sink, staleAfterMs: 500, intervalMs: 200, sweepEveryMs: 1_000, leaseMs: 1_500 });
  const streams = Array.from({ length: s.streams }, (_, i) => `crash-${i}`);

  const work = async (worker: number) => {
    for (let attempt = 0; ; attempt++) {
      const open = [];
      for (const streamId of streams) {
        const version = (await eventStore.readStream(streamId)).length;
        if (version < s.eventsPerStream) open.push({ streamId, version });
      }
      if (open.length === 0) return;
      const { streamId, version } = open[(worker + attempt) % open.length]!;
      const count = Math.min(1 + (attempt % 2), s.eventsPerStream - version);
      const events = Array.from({ length: count }, () => ({
        eventId: randomUUID(),
        type: "crash.Happened.v1",
        data: { worker },
        recordedAt: new Date(),
        metadata: { causationId: randomUUID(), correlationId: randomUUID(), actor: `worker-${worker}` },
      }));
      try {
        const result = await publisher.append(streamId, version, events);
        for (const event of result.events) console.log(`ack ${event.streamId} ${event.version} ${event.eventId}`);
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: s.workers }, (_, worker) => work(worker)));
  await publisher.flush();
  // Leave only once the relay, leading (a killed writer's lease runs out), has nothing left:
  // everything stored by this run and the killed ones is published.
  for (;;) {
    const pass = await relay.runOnce({ sweep: true });
    if (pass.leading && pass.pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await relay.stop();
  console.log("writer done");
  await nats.drain();
  await cassandra.shutdown();
};

const projector = async () => {
  const s = settings();
  const { cassandra, nats, jsm } = await openStores(s, "crash-projector");
  const es = connectElasticsearch(s.elasticsearch);
  const projection = logProjection(s.alias);
  await ensureIndex(es, projection);
  const missing = missingFromEventStore(createCassandraEventStore(cassandra, s.keyspace));
  const running = await startProjector({
    js: jetstream(nats),
    jsm,
    es,
    stream: s.stream,
    filterSubjects: s.subjects,
    projection,
    missing,
    logger: console,
    batchSize: 8,
  });
  console.log("projector ready");
  process.on("SIGTERM", () => {
    void running
      .stop()
      .then(() => nats.drain())
      .then(() => process.exit(0));
  });
};

const rebuild = async () => {
  const s = settings();
  const cassandra = await connectCassandra(s.cassandra);
  const nats = await connectNats({ ...s.nats, name: "crash-rebuild" });
  const es = connectElasticsearch(s.elasticsearch);
  const report = await rebuildProjection({
    es,
    js: jetstream(nats),
    jsm: await jetstreamManager(nats),
    eventStore: createCassandraEventStore(cassandra, s.keyspace),
    projection: logProjection(s.alias),
    stream: s.stream,
    filterSubjects: s.subjects,
    logger: console,
  });
  console.log(`rebuild done ${report.index} ${report.documents}`);
  await nats.drain();
  await cassandra.shutdown();
};

const mode = process.argv[2];
const run = mode === "writer" ? writer : mode === "projector" ? projector : mode === "rebuild" ? rebuild : undefined;
if (!run) {
  console.error("usage: harness.ts writer|projector|rebuild");
  process.exit(2);
}
run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
