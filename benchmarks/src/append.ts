/**
 * Benchmark 1 (and the engine of benchmark 2): our append paths against a raw
 * cassandra-driver conditional insert, closed loop, same concurrency, same ~300 B payload.
 *
 * Modes run in rounds, in mirrored order (raw, store, reliable, then reliable, store, raw, …)
 * so a drift of the shared machine's load does not favour one path; each path's rounds pool.
 *
 *   node benchmarks/dist/append.js [--concurrency 8,32,64] [--rounds 2] [--duration 10] [--warmup 3] [--label append]
 */
import { randomUUID } from "node:crypto";
import {
  createCassandraEventStore,
  createCassandraOutbox,
  createReliablePublisher,
  ensureEventSourcingSchema,
  type ReliablePublisher,
  type EventStore,
} from "@bazaar/event-store";
import { createEventPublisher } from "@bazaar/messaging";
import cassandra from "cassandra-driver";
import { benchArgs } from "./lib/args.js";
import { mergeResults, runClosedLoop, type ClosedLoopResult } from "./lib/closedLoop.js";
import { EVENT_TYPE, METADATA, newEvent, PAYLOAD_BYTES } from "./lib/payload.js";
import { saveResult } from "./lib/results.js";
import { createStepTimer } from "./lib/stepTimer.js";
import { cassandraKeyspace, jetStreamStream, main } from "./lib/stack.js";
import { fmt, printTable, verdict } from "./lib/table.js";

const { Long, Uuid, consistencies } = cassandra.types;
const STREAMS_PER_WORKER = 16;

type Mode = "raw" | "store" | "reliable";
const LABELS: Record<Mode, string> = {
  raw: "raw driver INSERT IF NOT EXISTS",
  store: "ours: eventStore.append",
  reliable: "ours: reliable path (pending row + append + publish + clear)",
};

/** Each worker cycles over its own streams, one event per call: no two calls ever contend. */
const streamsFor = (phase: string, concurrency: number) =>
  Array.from({ length: concurrency }, (_, w) => ({
    next: 0,
    streams: Array.from({ length: STREAMS_PER_WORKER }, (_, s) => ({ id: `${phase}-w${w}-s${s}-${randomUUID().slice(0, 8)}`, version: 0 })),
  }));

main(async () => {
  const args = benchArgs(["concurrency", "rounds", "duration", "warmup", "label", "modes"]);
  const concurrencies = args.list("concurrency", [8, 32, 64]);
  const rounds = args.number("rounds", 2);
  const durationMs = args.number("duration", 10) * 1000;
  const warmupMs = args.number("warmup", 3) * 1000;
  const label = args.option("label", "append");
  const modes = args.option("modes", "raw,store,reliable").split(",") as Mode[];

  const { client, keyspace } = await cassandraKeyspace("append");
  await ensureEventSourcingSchema(client, keyspace);
  await client.execute(
    `CREATE TABLE ${keyspace}.raw_events (stream_id text, version bigint, event_id uuid, event_type text, data text, metadata text, recorded_at timestamp,
     PRIMARY KEY ((stream_id), version)) WITH CLUSTERING ORDER BY (version ASC)`,
  );
  const { js, subjectRoot } = await jetStreamStream("append");
  const eventStore: EventStore = createCassandraEventStore(client, keyspace);
  // The reliable path's steps, each timed (a wrapper around the same objects; ~µs overhead).
  const steps = createStepTimer();
  const outbox = createCassandraOutbox(client, keyspace);
  const sink = createEventPublisher(js, (e) => `${subjectRoot}.${e.streamId}`);
  const reliable: ReliablePublisher = createReliablePublisher({
    eventStore: { ...eventStore, append: steps.wrap("2 conditional batch (eventStore.append)", eventStore.append.bind(eventStore)) },
    outbox: {
      ...outbox,
      markPending: steps.wrap("1 pending row INSERT", outbox.markPending.bind(outbox)),
      clearPending: steps.wrap("4 pending row DELETE", outbox.clearPending.bind(outbox)),
    },
    sink: { publish: steps.wrap("3 JetStream publish (acked)", sink.publish.bind(sink)) },
    onError: (error) => {
      throw error;
    },
  });
  const rawInsert = `INSERT INTO ${keyspace}.raw_events (stream_id, version, event_id, event_type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS`;
  const metadataJson = JSON.stringify(METADATA);
  const serverVersion = (await client.execute("SELECT release_version FROM system.local")).first()?.get("release_version") as string;
  // What the node runs on, as it reports it (cassandraVariants.sh checks each run against these).
  const settings = new Map(
    (
      await client.execute(
        `SELECT name, value FROM system_views.settings WHERE name IN ('paxos_variant', 'commitlog_sync', 'commitlog_sync_period', 'commitlog_sync_group_window')`,
      )
    ).rows.map((row) => [row.get("name") as string, row.get("value") as string]),
  );
  const paxos = settings.get("paxos_variant");
  const commitlogSync = settings.get("commitlog_sync");
  const commitlogTiming = new Map([
    ["periodic", settings.get("commitlog_sync_period")],
    ["group", settings.get("commitlog_sync_group_window")],
  ]).get(commitlogSync ?? "");
  console.log(
    `append benchmark: Cassandra ${serverVersion} (127.0.0.1:${process.env.CASSANDRA_PORT ?? "9042"}), paxos_variant=${paxos ?? "?"}, commitlog_sync=${commitlogSync ?? "?"}${commitlogTiming ? ` ${commitlogTiming}` : ""}, keyspace ${keyspace}`,
  );
  console.log(
    `payload ${PAYLOAD_BYTES} B JSON, ${STREAMS_PER_WORKER} streams per worker, ${rounds} rounds × (warm-up ${warmupMs / 1000} s + window ${durationMs / 1000} s) per path, concurrency ${concurrencies.join("/")}\n`,
  );

  let seq = 0;
  const opFor = (mode: Mode, workers: ReturnType<typeof streamsFor>) => async (w: number) => {
    const worker = workers[w]!;
    const stream = worker.streams[worker.next++ % worker.streams.length]!;
    const version = stream.version + 1;
    try {
      if (mode === "raw") {
        const event = newEvent(seq++);
        const result = await client.execute(
          rawInsert,
          [stream.id, Long.fromNumber(version), Uuid.fromString(event.eventId), EVENT_TYPE, JSON.stringify(event.data), metadataJson, event.recordedAt],
          { prepare: true, consistency: consistencies.localQuorum, serialConsistency: consistencies.localSerial },
        );
        if (!result.wasApplied()) throw new Error(`raw insert of ${stream.id}@${version} not applied`);
      } else if (mode === "store") {
        await eventStore.append(stream.id, stream.version, [newEvent(seq++)]);
      } else {
        await reliable.append(stream.id, stream.version, [newEvent(seq++)]);
      }
      stream.version = version;
    } catch (error) {
      // Outcome unknown: continue on a fresh stream rather than guess the version.
      stream.id = `${stream.id}-r${randomUUID().slice(0, 4)}`;
      stream.version = 0;
      throw error;
    }
  };

  const results: ClosedLoopResult[] = [];
  for (const concurrency of concurrencies) {
    const parts = new Map<Mode, ClosedLoopResult[]>(modes.map((m) => [m, []]));
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
        const part = await runClosedLoop({
          label: mode,
          concurrency,
          warmupMs,
          durationMs,
          op: opFor(mode, streamsFor(`${mode}${concurrency}r${round}`, concurrency)),
        });
        if (mode === "reliable") await reliable.flush();
        parts.get(mode)!.push(part);
        console.log(
          `  c=${concurrency} round ${round + 1} ${LABELS[mode]}: ${fmt(part.opsPerS)} ops/s, p99 ${fmt(part.latencyMs.p99)} ms${part.errors ? `, ${part.errors} errors (${part.firstError})` : ""}`,
        );
      }
    }
    for (const mode of modes) results.push(mergeResults(parts.get(mode)!));
  }

  console.log(`\n### ${label}: throughput and latency (closed loop, 1 event per call)\n`);
  printTable(
    ["concurrency", "path", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "ops/s ÷ raw", "p99 ÷ raw p99"],
    results.map((r) => {
      const raw = results.find((b) => b.label === "raw" && b.concurrency === r.concurrency);
      return [
        r.concurrency,
        LABELS[r.label as Mode],
        r.opsPerS,
        r.latencyMs.p50,
        r.latencyMs.p95,
        r.latencyMs.p99,
        r.latencyMs.max,
        r.errors,
        raw ? fmt(r.opsPerS / raw.opsPerS) : "n/a",
        raw ? fmt(r.latencyMs.p99 / raw.latencyMs.p99) : "n/a",
      ];
    }),
  );

  const verdicts: { concurrency: number; path: string; throughputRatio: number; p99Ratio: number; throughput: string; p99: string }[] = [];
  for (const r of results) {
    const raw = results.find((b) => b.label === "raw" && b.concurrency === r.concurrency);
    if (r.label === "raw" || !raw) continue;
    const throughputRatio = r.opsPerS / raw.opsPerS;
    const p99Ratio = r.latencyMs.p99 / raw.latencyMs.p99;
    verdicts.push({
      concurrency: r.concurrency,
      path: r.label,
      throughputRatio,
      p99Ratio,
      throughput: verdict(throughputRatio >= 0.7),
      p99: verdict(p99Ratio <= 2),
    });
  }
  console.log(`\n### ${label}: targets (throughput ≥ 0.7× raw, p99 ≤ 2× raw p99)\n`);
  printTable(
    ["concurrency", "path", "ops/s ÷ raw", "throughput target", "p99 ÷ raw p99", "p99 target"],
    verdicts.map((v) => [v.concurrency, LABELS[v.path as Mode], fmt(v.throughputRatio), v.throughput, fmt(v.p99Ratio), v.p99]),
  );
  if (modes.includes("reliable")) {
    console.log(`\n### ${label}: where the reliable path's time goes (all concurrencies and warm-ups pooled; the steps run one after another)\n`);
    printTable(
      ["step", "calls", "mean ms", "p50 ms", "p99 ms"],
      steps.summary().map((s) => [s.step, s.latencyMs.count, s.latencyMs.mean, s.latencyMs.p50, s.latencyMs.p99]),
    );
  }
  const peak = (mode: Mode) => Math.max(0, ...results.filter((r) => r.label === mode).map((r) => r.opsPerS));
  console.log(`\npeak append rate: raw ${fmt(peak("raw"))}/s, eventStore.append ${fmt(peak("store"))}/s, reliable path ${fmt(peak("reliable"))}/s`);
  const file = await saveResult(label, {
    cassandra: serverVersion,
    paxosVariant: paxos,
    commitlogSync,
    commitlogSyncPeriod: settings.get("commitlog_sync_period"),
    commitlogSyncGroupWindow: settings.get("commitlog_sync_group_window"),
    warmupMs,
    durationMs,
    rounds,
    payloadBytes: PAYLOAD_BYTES,
    results,
    verdicts,
    reliableSteps: steps.summary(),
    peak: { raw: peak("raw"), store: peak("store"), reliable: peak("reliable") },
  });
  console.log(`figures saved to ${file}`);
});
