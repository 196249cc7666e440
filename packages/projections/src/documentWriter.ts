import type { EventEnvelope } from "@bazaar/core";
import type { Client } from "@elastic/elasticsearch";
import { planBatch, type Decision, type DocumentState } from "./batchPlan.js";
import type { DocumentProjection } from "./documentProjection.js";

export type WriteDecision = Omit<Decision, "outcome"> & { outcome: Decision["outcome"] | "failed" };

/** The documents' current state, read in one real-time multi-get. */
export const readDocuments = async <Doc extends object>(es: Client, index: string, ids: string[]): Promise<Map<string, DocumentState<Doc>>> => {
  const current = new Map<string, DocumentState<Doc>>();
  if (ids.length === 0) return current;
  const result = await es.mget<Doc>({ index, ids, realtime: true });
  for (const doc of result.docs) {
    if ("found" in doc && doc.found && doc._source) current.set(doc._id, { doc: doc._source, version: doc._version ?? 0 });
  }
  return current;
};

/**
 * Applies a batch of events to a projection's documents in `index`: one multi-get, one bulk
 * of whole documents with external versions. A version conflict means a concurrent projector
 * already wrote this version or a later one, so those events count as duplicates.
 */
export const applyEvents = async <Doc extends object>(
  es: Client,
  projection: DocumentProjection<Doc>,
  index: string,
  events: readonly EventEnvelope[],
): Promise<WriteDecision[]> => {
  const ids = [...new Set(events.map((e) => projection.documentId(e.streamId)))];
  const plan = planBatch(projection, await readDocuments<Doc>(es, index, ids), events);
  if (plan.writes.size === 0) return plan.decisions;

  const operations = [...plan.writes].flatMap(([id, { doc, version }]) => [
    { index: { _index: index, _id: id, version, version_type: "external" as const } },
    doc,
  ]);
  const result = await es.bulk({ operations });
  const outcomeById = new Map<string, "duplicate" | "failed">();
  for (const item of result.items) {
    const op = item.index;
    if (!op?.error) continue;
    outcomeById.set(op._id ?? "", op.status === 409 ? "duplicate" : "failed");
  }
  return plan.decisions.map((decision) => {
    const override = decision.outcome === "applied" ? outcomeById.get(projection.documentId(decision.event.streamId)) : undefined;
    return override ? { ...decision, outcome: override } : decision;
  });
};

/** Has the read model applied stream `streamId` up to `version`? One real-time GET. */
export const hasApplied = async <Doc extends object>(es: Client, projection: DocumentProjection<Doc>, streamId: string, version: number): Promise<boolean> => {
  const result = await es.get({ index: projection.alias, id: projection.documentId(streamId), _source: false }, { ignore: [404] });
  return result.found && (result._version ?? 0) >= version;
};

/**
 * Read-your-writes: waits until the read model reflects `streamId` at `version`, at most
 * `timeoutMs`. Resolves false when the bound passed first (the caller says so to its client).
 */
export const waitForApplied = async <Doc extends object>(
  es: Client,
  projection: DocumentProjection<Doc>,
  position: { streamId: string; version: number },
  options: { timeoutMs: number; intervalMs?: number },
): Promise<boolean> => {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await hasApplied(es, projection, position.streamId, position.version)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 25, left)));
  }
};
