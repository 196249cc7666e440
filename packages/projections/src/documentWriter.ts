import type { EventEnvelope } from "@bazaar/core";
import { fillGaps, type MissingEvents } from "@bazaar/messaging";
import { createBoundedCache, sleep } from "@bazaar/runtime";
import type { Client } from "@elastic/elasticsearch";
import { planBatch, type Decision, type DocumentState } from "./batchPlan.js";
import type { DocumentProjection } from "./documentProjection.js";

export type WriteDecision = Omit<Decision, "outcome"> & {
  outcome: Decision["outcome"] | "failed";
  /** Read from `missing` to fill a gap, not delivered: nothing to acknowledge. */
  repaired?: true;
};

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

/** What a projector's document cache may hold by default. */
const DOCUMENT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The documents this projector wrote last, so a catching-up projector need not read back what
 * it just wrote. Only a hint: external versions still decide, and any doubt (a conflict, a
 * gap) evicts the entry so the next batch reads the document again.
 */
export class DocumentCache<Doc> {
  private readonly entries: ReturnType<typeof createBoundedCache<string, DocumentState<Doc>>>;
  /** At most `capacity` documents in at most `maxBytes` (documents grow with their events: attributes, lines). */
  constructor(capacity: number, maxBytes = DOCUMENT_CACHE_BYTES) {
    this.entries = createBoundedCache({ maxBytes, maxEntries: capacity });
  }

  get(id: string): DocumentState<Doc> | undefined {
    return this.entries.get(id);
  }

  set(id: string, state: DocumentState<Doc>): void {
    this.entries.set(id, state);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }
}

/**
 * Applies a batch of events to a projection's documents in `index`: one multi-get (for what the
 * cache does not hold, and not for a stream whose only event is its first), one bulk of
 * whole documents with external versions. A version conflict means a concurrent projector
 * already wrote this version or a later one, so those events count as duplicates. With
 * `missing`, a gap in front of a stream's events is filled from there first (the repaired events
 * come back as decisions too, marked `repaired`).
 */
export const applyEvents = async <Doc extends object>(
  es: Client,
  projection: DocumentProjection<Doc>,
  index: string,
  delivered: readonly EventEnvelope[],
  options: { cache?: DocumentCache<Doc>; missing?: MissingEvents } = {},
): Promise<WriteDecision[]> => {
  const { cache } = options;
  const ids = [...new Set(delivered.map((e) => projection.documentId(e.streamId)))];
  // A stream whose only event in the batch is its version 1 has no document to read (a new
  // product, a new order). Were it there already (a redelivery), the write at external version 1
  // conflicts and the event counts as the duplicate it is. (With later versions beside it the
  // document is read: which of them are duplicates depends on what it holds.)
  const eventsOf = Map.groupBy(delivered, (e) => projection.documentId(e.streamId));
  const fromTheStart = new Set([...eventsOf].filter(([, events]) => events.length === 1 && events[0]!.version === 1).map(([id]) => id));
  const current = new Map<string, DocumentState<Doc>>();
  const uncached: string[] = [];
  for (const id of ids) {
    const cached = cache?.get(id);
    if (cached) current.set(id, cached);
    else if (!fromTheStart.has(id)) uncached.push(id);
  }
  for (const [id, state] of await readDocuments<Doc>(es, index, uncached)) current.set(id, state);
  const versionOf = (streamId: string) => current.get(projection.documentId(streamId))?.version ?? 0;
  const { events, repaired } = options.missing
    ? await fillGaps(delivered, versionOf, options.missing)
    : { events: delivered, repaired: new Set<EventEnvelope>() };
  const plan = planBatch(projection, current, events);
  for (const decision of plan.decisions) if (decision.outcome === "gap") cache?.delete(projection.documentId(decision.event.streamId));
  const decisions: WriteDecision[] = plan.decisions.map((decision) => (repaired.has(decision.event) ? { ...decision, repaired: true } : decision));
  if (plan.writes.size === 0) return decisions;

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
  for (const [id, written] of plan.writes) {
    if (outcomeById.has(id)) cache?.delete(id);
    else cache?.set(id, written);
  }
  return decisions.map((decision) => {
    const override = decision.outcome === "applied" ? outcomeById.get(projection.documentId(decision.event.streamId)) : undefined;
    return override ? { ...decision, outcome: override } : decision;
  });
};

/** Is document `id` of `index` at `version` or later? One real-time GET. */
const documentAt = async (es: Client, index: string, id: string, version: number, signal?: AbortSignal): Promise<boolean> => {
  const result = await es.get({ index, id, _source: false }, { ignore: [404], ...(signal ? { signal } : {}) });
  return result.found && (result._version ?? 0) >= version;
};

/** Has the read model applied stream `streamId` up to `version`? */
export const hasApplied = <Doc extends object>(es: Client, projection: DocumentProjection<Doc>, streamId: string, version: number): Promise<boolean> =>
  documentAt(es, projection.alias, projection.documentId(streamId), version);

/**
 * Read-your-writes: waits until document `id` of `index` is at `version`, at most `timeoutMs`.
 * Resolves false when the bound passed first (the caller says so to its client).
 */
export const waitForDocumentVersion = async (
  es: Client,
  position: { index: string; id: string; version: number },
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal | undefined },
): Promise<boolean> => {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await documentAt(es, position.index, position.id, position.version, options.signal)) return true;
    const left = deadline - Date.now();
    // Bounded, and never for a caller that is gone (the wait ends when it goes).
    if (left <= 0 || !(await sleep(Math.min(options.intervalMs ?? 25, left), options.signal))) return false;
  }
};

/** Read-your-writes on a projection: waits until it reflects `streamId` at `version`, bounded. */
export const waitForApplied = <Doc extends object>(
  es: Client,
  projection: DocumentProjection<Doc>,
  position: { streamId: string; version: number },
  options: { timeoutMs: number; intervalMs?: number },
): Promise<boolean> =>
  waitForDocumentVersion(es, { index: projection.alias, id: projection.documentId(position.streamId), version: position.version }, options);

/** What a query asked for (`min_version`, `wait_ms`), waited for; true when the answer is stale. */
/**
 * The version a read of one aggregate must reflect: the caller's `minVersion`, else the position
 * it presented for that aggregate's stream — which only the owner names, so callers pass every
 * position a command answered (a consistency token's) and never build a stream id themselves.
 */
export const consistencyFor = (
  streamId: string,
  consistency: { minVersion: number; waitMs: number; positions?: readonly { streamId: string; version: number }[] } | undefined,
): { minVersion: number; waitMs: number } | undefined => {
  if (!consistency) return undefined;
  const minVersion = consistency.minVersion > 0 ? consistency.minVersion : (consistency.positions?.find((p) => p.streamId === streamId)?.version ?? 0);
  return minVersion > 0 ? { minVersion, waitMs: consistency.waitMs } : undefined;
};

export const awaitConsistency = async (
  es: Client,
  document: { index: string; id: string },
  consistency: { minVersion: number; waitMs: number } | undefined,
  options: { maxWaitMs?: number; signal?: AbortSignal | undefined } = {},
): Promise<boolean> => {
  if (!consistency || consistency.minVersion <= 0) return false;
  const timeoutMs = Math.min(Math.max(consistency.waitMs, 0), options.maxWaitMs ?? 10_000);
  const caughtUp = await waitForDocumentVersion(es, { ...document, version: consistency.minVersion }, { timeoutMs, signal: options.signal });
  return !caughtUp;
};
