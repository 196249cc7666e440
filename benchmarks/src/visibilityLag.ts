/**
 * Benchmark 4: end-to-end visibility lag. Open loop at a fixed rate (default 50% of the
 * reliable path's peak from the last append run): reliable append (Cassandra + JetStream) →
 * running projector → Elasticsearch. For 1 event in `--sample`, the time from the append's
 * scheduled start until (a) a real-time GET by id returns the document at that version and
 * (b) a search (term on the stream's unique `sid` field) returns it at that version.
 * One poller per kind sends one request for all outstanding samples every `--poll-ms`.
 *
 *   node benchmarks/dist/visibilityLag.js [--rate N] [--duration 20] [--warmup 3] [--refresh 1s,100ms] [--sample 10] [--poll-ms 10]
 */
import { performance } from "node:perf_hooks";
import {
  createCassandraEventStore,
  createCassandraOutbox,
  createReliablePublisher,
  ensureEventSourcingSchema,
  missingFromEventStore,
} from "@bazaar/event-store";
import { createEventPublisher } from "@bazaar/messaging";
import { ensureIndex, startProjector } from "@bazaar/projections";
import { benchArgs } from "./lib/args.js";
import { newEvent } from "./lib/payload.js";
import { productProjection, type ProductDoc } from "./lib/productProjection.js";
import { loadResult, saveResult } from "./lib/results.js";
import { benchName, cassandraKeyspace, dropIndexAtEnd, elasticsearch, jetStreamStream, main, quietLogger, sleep } from "./lib/stack.js";
import { summarize, type Latency } from "./lib/stats.js";
import { fmt, printTable } from "./lib/table.js";

interface Sample {
  sid: string;
  version: number;
  scheduledAt: number;
  appendedAt?: number;
  gotAt?: number;
  foundAt?: number;
}

main(async () => {
  const args = benchArgs(["append-result", "rate", "duration", "warmup", "refresh", "sample", "poll-ms", "streams"]);
  const append = await loadResult<{ peak: { reliable: number }; at: string }>(args.option("append-result", "append"));
  const rate = args.number("rate", append ? Math.round(append.peak.reliable / 2) : Number.NaN);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error("no append result to take 50% of: run the append benchmark first or pass --rate");
  const durationMs = args.number("duration", 20) * 1000;
  const warmupMs = args.number("warmup", 3) * 1000;
  const refreshes = args.option("refresh", "1s,100ms").split(",");
  const sampleEvery = args.number("sample", 10);
  const pollMs = args.number("poll-ms", 10);
  const streamCount = args.number("streams", 5000);

  const { client, keyspace } = await cassandraKeyspace("visibility");
  await ensureEventSourcingSchema(client, keyspace);
  const { js, jsm, stream, subjectRoot } = await jetStreamStream("visibility");
  const es = elasticsearch();
  const alias = benchName("visibility");
  const projection = productProjection(alias, refreshes[0]);
  dropIndexAtEnd(es, alias);
  await ensureIndex(es, projection);
  const eventStore = createCassandraEventStore(client, keyspace);
  const missing = missingFromEventStore(eventStore);
  const projector = await startProjector({ js, jsm, es, stream, filterSubjects: [`${subjectRoot}.>`], projection, missing, logger: quietLogger });
  const publisher = createReliablePublisher({
    eventStore,
    outbox: createCassandraOutbox(client, keyspace),
    sink: createEventPublisher(js, (e) => `${subjectRoot}.${e.streamId}`),
  });
  console.log(
    `visibility lag: open loop at ${rate} appends/s (${append ? `50% of the reliable path's peak ${fmt(append.peak.reliable)}/s from the append run of ${append.at}` : "--rate"})`,
  );
  console.log(
    `${streamCount} streams, warm-up ${warmupMs / 1000} s + ${durationMs / 1000} s per refresh interval, 1 in ${sampleEvery} events sampled, polls every ${pollMs} ms\n`,
  );

  const streams = Array.from({ length: streamCount }, (_, i) => ({ id: `v-${i}`, version: 0, busy: false }));
  let cursor = 0;
  let seq = 0;
  const rows: Record<string, unknown>[] = [];

  try {
    for (const refresh of refreshes) {
      await es.indices.putSettings({ index: alias, settings: { refresh_interval: refresh } });
      const samples: Sample[] = [];
      const waitingGet = new Set<Sample>();
      const waitingSearch = new Set<Sample>();
      const appendLatencies: number[] = [];
      const startDelays: number[] = [];
      let errors = 0;
      let skipped = 0;
      let polling = true;

      const getPoller = (async () => {
        while (polling || waitingGet.size > 0) {
          if (waitingGet.size > 0) {
            const batch = [...waitingGet];
            const result = await es.mget({ index: alias, ids: [...new Set(batch.map((s) => s.sid))], _source: false, realtime: true });
            const now = performance.now();
            const versionOf = new Map(result.docs.map((d) => [d._id, "found" in d && d.found ? (d._version ?? 0) : 0]));
            for (const s of batch) {
              if ((versionOf.get(s.sid) ?? 0) < s.version) continue;
              s.gotAt = now;
              waitingGet.delete(s);
            }
          }
          await sleep(pollMs);
        }
      })();
      const searchPoller = (async () => {
        while (polling || waitingSearch.size > 0) {
          if (waitingSearch.size > 0) {
            const batch = [...waitingSearch];
            const sids = [...new Set(batch.map((s) => s.sid))];
            const result = await es.search<Pick<ProductDoc, "sid" | "v">>({
              index: alias,
              size: sids.length,
              _source: ["sid", "v"],
              query: { terms: { sid: sids } },
            });
            const now = performance.now();
            const versionOf = new Map(result.hits.hits.map((h) => [h._source!.sid, h._source!.v]));
            for (const s of batch) {
              if ((versionOf.get(s.sid) ?? 0) < s.version) continue;
              s.foundAt = now;
              waitingSearch.delete(s);
            }
          }
          await sleep(pollMs);
        }
      })();

      // Open loop: appends start on schedule, whether or not earlier ones have finished.
      const inflight = new Set<Promise<void>>();
      const begin = performance.now();
      const measureFrom = begin + warmupMs;
      const end = measureFrom + durationMs;
      let launched = 0;
      for (;;) {
        const now = performance.now();
        if (now >= end) break;
        const due = Math.floor(((now - begin) / 1000) * rate);
        while (launched < due) {
          const scheduledAt = begin + (launched / rate) * 1000;
          launched += 1;
          const slot = cursor++ % streams.length;
          const stream = streams[slot]!;
          if (stream.busy) {
            skipped += 1;
            continue;
          }
          stream.busy = true;
          const version = stream.version + 1;
          const sample: Sample | undefined = scheduledAt >= measureFrom && launched % sampleEvery === 0 ? { sid: stream.id, version, scheduledAt } : undefined;
          const startedAt = performance.now();
          if (scheduledAt >= measureFrom) startDelays.push(startedAt - scheduledAt);
          const work = publisher
            .append(stream.id, stream.version, [newEvent(seq++)])
            .then(
              () => {
                stream.version = version;
                const done = performance.now();
                if (scheduledAt >= measureFrom) appendLatencies.push(done - scheduledAt);
                if (sample) {
                  sample.appendedAt = done;
                  samples.push(sample);
                  if (sample.gotAt === undefined) waitingGet.add(sample);
                  if (sample.foundAt === undefined) waitingSearch.add(sample);
                }
              },
              () => {
                // Outcome unknown: that stream continues under a fresh id.
                errors += 1;
                streams[slot] = { id: `${stream.id}-r${seq}`, version: 0, busy: false };
              },
            )
            .finally(() => {
              stream.busy = false;
              inflight.delete(work);
            });
          inflight.add(work);
        }
        await sleep(2);
      }
      await Promise.all(inflight);
      const deadline = performance.now() + 30_000;
      while ((waitingGet.size > 0 || waitingSearch.size > 0) && performance.now() < deadline) await sleep(20);
      polling = false;
      waitingGet.clear();
      waitingSearch.clear();
      await Promise.all([getPoller, searchPoller]);

      const lags = (pick: (s: Sample) => number | undefined) => samples.flatMap((s) => (pick(s) === undefined ? [] : [pick(s)! - s.scheduledAt]));
      const row = {
        refresh,
        rate,
        achievedPerS: appendLatencies.length / (durationMs / 1000),
        samples: samples.length,
        errors,
        skipped,
        startDelay: summarize(startDelays),
        append: summarize(appendLatencies),
        get: summarize(lags((s) => s.gotAt)),
        search: summarize(lags((s) => s.foundAt)),
        notFound: samples.filter((s) => s.foundAt === undefined).length,
      };
      rows.push(row);
      console.log(
        `refresh ${refresh}: ${fmt(row.achievedPerS)} appends/s done, ${row.samples} samples, ${errors} errors, ${skipped} skipped (stream busy), ${row.notFound} never found`,
      );
    }
  } finally {
    await publisher.flush();
    await projector.stop();
  }

  const lat = (l: Latency) => [l.p50, l.p95, l.p99, l.max] as const;
  console.log(`\n### visibility lag at ${rate} appends/s (ms from scheduled append start)\n`);
  printTable(
    ["index refresh_interval", "what", "samples", "p50", "p95", "p99", "max"],
    rows.flatMap((r) => [
      [r.refresh as string, "reliable append done", (r.append as Latency).count, ...lat(r.append as Latency)],
      [r.refresh as string, "GET by id (real-time)", (r.get as Latency).count, ...lat(r.get as Latency)],
      [r.refresh as string, "search (term on sid)", (r.search as Latency).count, ...lat(r.search as Latency)],
    ]),
  );
  console.log(
    `\nscheduler start delay p99: ${rows.map((r) => `${r.refresh as string} ${fmt((r.startDelay as Latency).p99)} ms`).join(", ")} (open-loop lateness, included in every figure)`,
  );
  const file = await saveResult("visibility", { rate, durationMs, sampleEvery, pollMs, rows });
  console.log(`figures saved to ${file}`);
});
