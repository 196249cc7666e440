import type { EventStore } from "@bazaar/event-store";
import type { Client } from "@elastic/elasticsearch";
import { planBatch } from "./batchPlan.js";
import type { DocumentProjection } from "./documentProjection.js";
import { readDocuments } from "./documentWriter.js";

export interface Mismatch {
  id: string;
  problem: "missing" | "version" | "content" | "orphan";
  expectedVersion?: number;
  actualVersion?: number;
  expected?: unknown;
  actual?: unknown;
}

export interface VerifyReport {
  checked: number;
  mismatches: Mismatch[];
}

/** JSON with sorted keys: two documents compare equal whatever their key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

const CHUNK = 500;

/**
 * Compares every document of a read model with the fold of its stream in the event store
 * (invariant 4): same content, same version, and no document without a stream.
 */
export const verifyProjection = async <Doc extends object>(options: {
  es: Client;
  eventStore: EventStore;
  projection: DocumentProjection<Doc>;
  index?: string;
}): Promise<VerifyReport> => {
  const { es, projection } = options;
  const index = options.index ?? projection.alias;
  const mismatches: Mismatch[] = [];
  const expectedIds = new Set<string>();
  let checked = 0;
  let chunk: { id: string; doc: Doc; version: number }[] = [];

  const compare = async () => {
    const actual = await readDocuments<Doc>(
      es,
      index,
      chunk.map((c) => c.id),
    );
    for (const want of chunk) {
      const got = actual.get(want.id);
      checked += 1;
      if (!got) mismatches.push({ id: want.id, problem: "missing", expectedVersion: want.version, expected: want.doc });
      else if (got.version !== want.version) mismatches.push({ id: want.id, problem: "version", expectedVersion: want.version, actualVersion: got.version });
      else if (canonical(got.doc) !== canonical(want.doc))
        mismatches.push({ id: want.id, problem: "content", expectedVersion: want.version, expected: want.doc, actual: got.doc });
    }
    chunk = [];
  };

  for await (const events of options.eventStore.readAll()) {
    if (!projection.handlesStream(events[0]!.streamId)) continue;
    for (const [id, { doc, version }] of planBatch(projection, new Map(), events).writes) {
      expectedIds.add(id);
      chunk.push({ id, doc, version });
    }
    if (chunk.length >= CHUNK) await compare();
  }
  await compare();

  // Documents with no stream behind them.
  let page = await es.search({ index, scroll: "1m", size: 1000, _source: false, sort: ["_doc"] });
  try {
    while (page.hits.hits.length > 0) {
      for (const hit of page.hits.hits) if (hit._id && !expectedIds.has(hit._id)) mismatches.push({ id: hit._id, problem: "orphan" });
      if (!page._scroll_id) break;
      page = await es.scroll({ scroll_id: page._scroll_id, scroll: "1m" });
    }
  } finally {
    if (page._scroll_id) await es.clearScroll({ scroll_id: page._scroll_id }).catch(() => undefined);
  }
  return { checked, mismatches };
};
