import { NotFoundError, ValidationError } from "@bazaar/core";
import type { Client, estypes } from "@elastic/elasticsearch";
import { encodeCursor } from "./cursor.js";
import { awaitConsistency } from "./documentWriter.js";

/** A read model's document as a query answers it: with the stream version it reflects. */
export type Versioned<Doc> = Doc & { version: number };

/**
 * The reads every one-document-per-stream model answers alike; `what` names the document in a
 * NotFoundError ("product").
 */
export const documentReads = <Doc extends object>(es: Client, alias: string, what: string) => ({
  /** Read-your-writes: waits (bounded) for the document to reach `minVersion`; true if it did not. */
  isStale: (id: string, consistency: { minVersion: number; waitMs: number } | undefined, signal?: AbortSignal) =>
    awaitConsistency(es, { index: alias, id: id.toLowerCase() }, consistency, { signal }),

  /** A real-time GET: it sees a document as soon as the projector wrote it, before any refresh. */
  async get(id: string, signal?: AbortSignal): Promise<Versioned<Doc>> {
    const result = await es.get<Doc>({ index: alias, id }, { ignore: [404], ...(signal ? { signal } : {}) });
    if (!result.found || !result._source) throw new NotFoundError(`${what} ${id} not found`);
    return { ...result._source, version: result._version ?? 0 };
  },
});

const MAX_LIMIT = 100;

/** The page size a client asked for: 20 when it did not say, refused outside 1 to 100. */
export const pageLimit = (requested: number): number => {
  const limit = requested || 20;
  if (limit < 1 || limit > MAX_LIMIT) throw new ValidationError([{ field: "limit", message: `must be between 1 and ${MAX_LIMIT}` }]);
  return limit;
};

/** One page of a search of `limit` hits sorted by `sort`: the documents with their versions, the total, and the next page's cursor when this one is full. */
export const pageOf = <Doc>(result: estypes.SearchResponse<Doc>, limit: number, sort: string) => {
  const hits = result.hits.hits;
  const last = hits.at(-1);
  return {
    items: hits.flatMap((hit) => (hit._source ? [{ ...hit._source, version: hit._version ?? 0 }] : [])),
    total: typeof result.hits.total === "number" ? result.hits.total : (result.hits.total?.value ?? 0),
    nextCursor: hits.length === limit && last?.sort ? encodeCursor(sort, last.sort) : undefined,
  };
};
