import { crashPoint, missingFromEventStore, type EventStore } from "@bazaar/event-store";
import { sleep } from "@bazaar/runtime";
import type { Client } from "@elastic/elasticsearch";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import { planBatch } from "./batchPlan.js";
import type { DocumentProjection } from "./documentProjection.js";
import { indicesOf, newIndexName, putIndexTemplate } from "./elasticsearch.js";
import { startProjector, type ProjectorLogger } from "./projector.js";

export interface RebuildOptions<Doc extends object> {
  es: Client;
  js: JetStreamClient;
  jsm: JetStreamManager;
  eventStore: EventStore;
  projection: DocumentProjection<Doc>;
  stream: string;
  filterSubjects: readonly string[];
  logger: ProjectorLogger;
  /** Keep the replaced indices instead of deleting them. */
  keepOld?: boolean;
  /** Copies of each shard of the new index (`ELASTICSEARCH_REPLICAS`). */
  replicas?: number;
  catchUpTimeoutMs?: number;
}

export interface RebuildReport {
  index: string;
  replaced: string[];
  streams: number;
  documents: number;
  deadLettered: number;
  startSequence: number;
  durationMs: number;
}

const BULK_DOCUMENTS = 1000;

/**
 * Rebuilds a read model from the event store into a new index with zero downtime:
 * 1. note the JetStream position, 2. fold every stream into the new index, 3. catch up from
 * that position with a temporary consumer, 4. swap the alias atomically, 5. drain, then drop
 * the old index. Queries read the old index through the alias until the swap.
 */
export const rebuildProjection = async <Doc extends object>(options: RebuildOptions<Doc>): Promise<RebuildReport> => {
  const { es, jsm, projection, logger } = options;
  const started = Date.now();
  const index = newIndexName(projection.alias);
  await putIndexTemplate(es, projection, options.replicas === undefined ? {} : { replicas: options.replicas });
  // No refreshes while bulk loading: much faster, and nobody reads this index yet.
  await es.indices.create({ index, settings: { refresh_interval: "-1" } });
  const startSequence = (await jsm.streams.info(options.stream)).state.last_seq + 1;
  logger.info({ projection: projection.name, index, startSequence }, "rebuild: loading from the event store");

  let streams = 0;
  let documents = 0;
  let deadLettered = 0;
  let operations: object[] = [];
  const flush = async () => {
    if (operations.length === 0) return;
    const result = await es.bulk({ operations });
    const failed = result.items.filter((item) => item.index?.error && item.index.status !== 409);
    if (failed.length > 0) throw new Error(`rebuild bulk failed: ${JSON.stringify(failed[0]?.index?.error)}`);
    operations = [];
  };
  for await (const events of options.eventStore.readAll()) {
    const streamId = events[0]!.streamId;
    if (!projection.handlesStream(streamId)) continue;
    streams += 1;
    const plan = planBatch(projection, new Map(), events);
    deadLettered += plan.decisions.filter((d) => d.outcome === "dead-lettered").length;
    for (const [id, { doc, version }] of plan.writes) {
      operations.push({ index: { _index: index, _id: id, version, version_type: "external" } }, doc);
      documents += 1;
    }
    if (operations.length >= 2 * BULK_DOCUMENTS) await flush();
  }
  await flush();
  await es.indices.putSettings({ index, settings: { refresh_interval: (projection.settings.refresh_interval as string) ?? "1s" } });
  await es.indices.refresh({ index });

  crashPoint("rebuild-after-load");

  const catchUp = await startProjector({ ...options, missing: missingFromEventStore(options.eventStore), index, durable: null, startSequence });
  try {
    await drained(jsm, options.stream, catchUp.consumer, options.catchUpTimeoutMs ?? 120_000);
    const replaced = (await indicesOf(es, projection.alias)).filter((name) => name !== index);
    await es.indices.updateAliases({
      actions: [
        ...replaced.map((old) => ({ remove: { index: old, alias: projection.alias } })),
        { add: { index, alias: projection.alias, is_write_index: true } },
      ],
    });
    logger.info({ projection: projection.name, index, replaced }, "rebuild: alias swapped");
    // Events the live projector wrote to the old index just before the swap are in the stream
    // too: drain once more so the new index has them before the temporary consumer goes.
    await drained(jsm, options.stream, catchUp.consumer, options.catchUpTimeoutMs ?? 120_000);
    if (!options.keepOld) {
      // Also the half-built indices of rebuilds that died before their swap.
      const leftovers = await abandonedIndices(es, projection.alias, index);
      if (replaced.length + leftovers.length > 0) await es.indices.delete({ index: [...replaced, ...leftovers] });
    }
    return { index, replaced, streams, documents, deadLettered, startSequence, durationMs: Date.now() - started };
  } finally {
    await catchUp.stop();
  }
};

/** Indices `<alias>-<n>` that no alias points at: what an interrupted rebuild left behind. */
const abandonedIndices = async (es: Client, alias: string, keep: string): Promise<string[]> => {
  const all = await es.indices.get({ index: `${alias}-*`, allow_no_indices: true, expand_wildcards: "open" });
  return Object.entries(all)
    .filter(([name, info]) => name !== keep && /-\d+$/.test(name) && Object.keys(info.aliases ?? {}).length === 0)
    .map(([name]) => name);
};

/** Resolves when a consumer has nothing pending and nothing unacknowledged. */
export const drained = async (jsm: JetStreamManager, stream: string, consumer: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await jsm.consumers.info(stream, consumer);
    if (info.num_pending === 0 && info.num_ack_pending === 0) return;
    if (Date.now() > deadline) throw new Error(`consumer ${consumer} still has ${info.num_pending} pending, ${info.num_ack_pending} unacknowledged`);
    await sleep(100);
  }
};
