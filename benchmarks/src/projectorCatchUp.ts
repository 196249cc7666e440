/**
 * Benchmark 3: projector catch-up. N events (S streams × V versions) are preloaded into a
 * fresh JetStream stream; then startProjector runs from zero until its durable consumer is
 * drained and every document is at its final version. Baseline in the same run: raw `_bulk`
 * of the same final documents (batches of batchSize, sequential, version_type external).
 *
 *   node benchmarks/dist/projectorCatchUp.js [--streams 5000] [--versions 10] [--batch-size 500] [--layouts interleaved,grouped]
 */
import { performance } from "node:perf_hooks";
import type { EventEnvelope } from "@bazaar/core";
import { createEventPublisher, missingFromJetStream } from "@bazaar/messaging";
import { drained, ensureIndex, startProjector } from "@bazaar/projections";
import type { Client } from "@elastic/elasticsearch";
import { benchArgs } from "./lib/args.js";
import { envelope } from "./lib/payload.js";
import { countingMetrics } from "./lib/projectionCounts.js";
import { productProjection, type ProductDoc } from "./lib/productProjection.js";
import { loadResult, saveResult } from "./lib/results.js";
import { benchName, dropIndexAtEnd, elasticsearch, jetStreamStream, main, quietLogger, sleep } from "./lib/stack.js";
import { fmt, printTable, verdict } from "./lib/table.js";

type Layout = "interleaved" | "grouped";

/** Documents whose _version is `version` already, counted with real-time multi-gets. */
const countAtVersion = async (es: Client, index: string, ids: string[], version: number): Promise<number> => {
  let count = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const result = await es.mget({ index, ids: ids.slice(i, i + 1000), _source: false, realtime: true });
    for (const doc of result.docs) if ("found" in doc && doc.found && doc._version === version) count += 1;
  }
  return count;
};

main(async () => {
  const args = benchArgs(["streams", "versions", "batch-size", "layouts", "append-result", "peak-append"]);
  const streams = args.number("streams", 5000);
  const versions = args.number("versions", 10);
  const batchSize = args.number("batch-size", 500);
  const layouts = args.option("layouts", "interleaved,grouped").split(",") as Layout[];
  const total = streams * versions;
  const es = elasticsearch();
  const esVersion = Object.values((await es.nodes.info({ node_id: "_local", metric: "_none" })).nodes)[0]?.version ?? "?";
  console.log(`projector catch-up: ${total} events = ${streams} streams × ${versions} versions, batchSize ${batchSize}, Elasticsearch ${esVersion}`);
  console.log("layouts: interleaved = v1 of every stream, then v2, … (each batch touches batchSize documents); grouped = a stream's versions back to back\n");

  const rows: Record<string, number | string>[] = [];
  for (const layout of layouts) {
    const { js, jsm, stream, subjectRoot } = await jetStreamStream(`catchup_${layout.slice(0, 4)}`);
    const ids = Array.from({ length: streams }, (_, s) => `p-${layout}-${s}`);
    // Preload: the producer side is not measured. Interleaved publishes a version round in
    // concurrent chunks of distinct streams (order within a stream is kept); grouped is sequential.
    const publisher = createEventPublisher(js, (e) => `${subjectRoot}.${e.streamId}`);
    const finals = new Map<string, EventEnvelope>();
    const t0 = performance.now();
    let seq = 0;
    if (layout === "interleaved") {
      for (let v = 1; v <= versions; v++) {
        for (let i = 0; i < streams; i += 250) {
          const chunk = ids.slice(i, i + 250).map((id) => envelope(id, v, seq++));
          await Promise.all(chunk.map((e) => publisher.publish([e])));
          if (v === versions) for (const e of chunk) finals.set(e.streamId, e);
        }
      }
    } else {
      for (const id of ids) {
        const events = Array.from({ length: versions }, (_, k) => envelope(id, k + 1, seq++));
        await publisher.publish(events);
        finals.set(id, events.at(-1)!);
      }
    }
    const stored = (await jsm.streams.info(stream)).state.messages;
    if (stored !== total) throw new Error(`preload stored ${stored} messages, expected ${total}`);
    console.log(`[${layout}] preloaded ${total} events into ${stream} in ${fmt((performance.now() - t0) / 1000)} s`);

    // Ours: the projector from zero to drained with every document final.
    const alias = benchName(`catchup_${layout.slice(0, 4)}`);
    const projection = productProjection(alias, "1s");
    dropIndexAtEnd(es, alias);
    await ensureIndex(es, projection);
    const counts = countingMetrics();
    const started = performance.now();
    const projector = await startProjector({
      js,
      jsm,
      es,
      stream,
      filterSubjects: [`${subjectRoot}.>`],
      projection,
      // Events go straight to JetStream here (no event store): a gap is read back from there.
      missing: missingFromJetStream(js, stream, (streamId) => `${subjectRoot}.${streamId}`),
      logger: quietLogger,
      metrics: counts.metrics,
      batchSize,
    });
    let oursS: number;
    try {
      await drained(jsm, stream, projector.consumer, 600_000);
      for (;;) {
        if ((await countAtVersion(es, alias, ids, versions)) === streams) break;
        if (performance.now() - started > 600_000) throw new Error("documents not final after 600 s");
        await sleep(50);
      }
      oursS = (performance.now() - started) / 1000;
    } finally {
      await projector.stop();
    }
    const oursEventsPerS = total / oursS;
    console.log(
      `[${layout}] projector: ${fmt(oursS)} s, ${fmt(oursEventsPerS)} events/s, ${counts.batches()} batches, outcomes ${JSON.stringify(counts.outcomes)}`,
    );

    // Baseline: raw _bulk of the same final documents into a twin index.
    const rawAlias = benchName(`catchup_raw_${layout.slice(0, 4)}`);
    dropIndexAtEnd(es, rawAlias);
    await ensureIndex(es, productProjection(rawAlias, "1s"));
    const rawStarted = performance.now();
    for (let i = 0; i < streams; i += batchSize) {
      const operations = ids.slice(i, i + batchSize).flatMap((id) => {
        const last = finals.get(id)!;
        const doc: ProductDoc = projection.evolve({ revisions: versions - 1 } as ProductDoc, last);
        return [{ index: { _index: rawAlias, _id: id, version: versions, version_type: "external" as const } }, doc];
      });
      const result = await es.bulk({ operations });
      if (result.errors) throw new Error(`raw bulk failed: ${JSON.stringify(result.items.find((it) => it.index?.error))}`);
    }
    const rawS = (performance.now() - rawStarted) / 1000;
    const rawDocsPerS = streams / rawS;
    const rawEventEquivalentsPerS = total / rawS;
    console.log(`[${layout}] raw bulk: ${fmt(rawS)} s, ${fmt(rawDocsPerS)} docs/s = ${fmt(rawEventEquivalentsPerS)} event-equivalents/s\n`);
    rows.push({
      layout,
      oursS,
      oursEventsPerS,
      batches: counts.batches(),
      gaps: counts.outcomes.gap ?? 0,
      rawS,
      rawDocsPerS,
      rawEventEquivalentsPerS,
      ratio: oursEventsPerS / rawEventEquivalentsPerS,
    });
  }

  const append = await loadResult<{ peak: { raw: number; store: number; reliable: number }; at: string }>(args.option("append-result", "append"));
  const peakAppend = args.number("peak-append", append ? Math.max(append.peak.store, append.peak.reliable) : Number.NaN);
  console.log(`### projector catch-up: ${total} events, ${streams} documents, batchSize ${batchSize}\n`);
  printTable(
    [
      "layout",
      "ours s",
      "ours events/s",
      "batches",
      "gap naks",
      "raw s",
      "raw docs/s",
      "raw event-equiv/s",
      "ours ÷ raw event-equiv",
      "≥ 0.5×",
      "ours ÷ raw docs/s",
      "ours ÷ peak append",
      "≥ 3× peak append",
    ],
    rows.map((r) => [
      r.layout as string,
      r.oursS as number,
      r.oursEventsPerS as number,
      r.batches as number,
      r.gaps as number,
      r.rawS as number,
      r.rawDocsPerS as number,
      r.rawEventEquivalentsPerS as number,
      fmt(r.ratio as number),
      verdict((r.ratio as number) >= 0.5),
      fmt((r.oursEventsPerS as number) / (r.rawDocsPerS as number)),
      fmt((r.oursEventsPerS as number) / peakAppend),
      Number.isFinite(peakAppend) ? verdict((r.oursEventsPerS as number) >= 3 * peakAppend) : "n/a (no append result)",
    ]),
  );
  console.log(
    "\nours ÷ raw event-equiv is the target ratio (same final index, events/s vs events/s); ours ÷ raw docs/s compares each event with one whole-document write, for reference.",
  );
  console.log(
    `\npeak append rate (highest of our paths in ${append ? `append run of ${append.at}` : "--peak-append"}): ${fmt(peakAppend)}/s; 3× = ${fmt(3 * peakAppend)} events/s` +
      (append ? ` (raw ${fmt(append.peak.raw)}/s, eventStore.append ${fmt(append.peak.store)}/s, reliable ${fmt(append.peak.reliable)}/s)` : ""),
  );
  const file = await saveResult("catchup", { esVersion, streams, versions, batchSize, peakAppend, rows });
  console.log(`figures saved to ${file}`);
});
