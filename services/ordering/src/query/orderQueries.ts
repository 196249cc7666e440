import { NotFoundError, ValidationError } from "@bazaar/core";
import { awaitConsistency, decodeCursor, encodeCursor, searchFrom } from "@bazaar/projections";
import type { Client } from "@elastic/elasticsearch";
import type { OrderDocument } from "../projections/orderViewProjection.js";

export interface OrderView extends OrderDocument {
  version: number;
}

const MAX_LIMIT = 100;

/** The listing's one sort: what its cursors belong to. */
const SORT = "placedAt-desc";

/** Queries over the order view: one order, and a customer's history, newest first. */
export const createOrderQueries = (es: Client, alias: string) => ({
  /** Read-your-writes: waits (bounded) for the document to reach `minVersion`; true if it did not. */
  isStale: (id: string, consistency: { minVersion: number; waitMs: number } | undefined, signal?: AbortSignal) =>
    awaitConsistency(es, { index: alias, id: id.toLowerCase() }, consistency, { signal }),

  async get(orderId: string, signal?: AbortSignal): Promise<OrderView> {
    const result = await es.get<OrderDocument>({ index: alias, id: orderId }, { ignore: [404], ...(signal ? { signal } : {}) });
    if (!result.found || !result._source) throw new NotFoundError(`order ${orderId} not found`);
    return { ...result._source, version: result._version ?? 0 };
  },

  async listByCustomer(customerId: string, options: { limit: number; cursor?: string | undefined; signal?: AbortSignal | undefined }) {
    const limit = options.limit || 20;
    if (limit < 1 || limit > MAX_LIMIT) throw new ValidationError([{ field: "limit", message: `must be between 1 and ${MAX_LIMIT}` }]);
    const result = await searchFrom(options.cursor, () =>
      es.search<OrderDocument>(
        {
          index: alias,
          size: limit,
          version: true,
          track_total_hits: true,
          query: { term: { customerId } },
          sort: [{ placedAt: "desc" }, { orderId: "asc" }],
          ...(options.cursor ? { search_after: decodeCursor(options.cursor, SORT) } : {}),
        },
        options.signal ? { signal: options.signal } : {},
      ),
    );
    const hits = result.hits.hits;
    const last = hits.at(-1);
    return {
      orders: hits.flatMap((hit) => (hit._source ? [{ ...hit._source, version: hit._version ?? 0 }] : [])),
      total: typeof result.hits.total === "number" ? result.hits.total : (result.hits.total?.value ?? 0),
      nextCursor: hits.length === limit && last?.sort ? encodeCursor(SORT, last.sort) : "",
    };
  },
});

export type OrderQueries = ReturnType<typeof createOrderQueries>;
