import { decodeCursor, documentReads, pageLimit, pageOf, searchFrom } from "@bazaar/projections";
import type { Client } from "@elastic/elasticsearch";
import type { OrderDocument } from "../projections/orderViewProjection.js";

export interface OrderView extends OrderDocument {
  version: number;
}

/** The listing's one sort: what its cursors belong to. */
const SORT = "placedAt-desc";

/** Queries over the order view: one order, and a customer's history, newest first. */
export const createOrderQueries = (es: Client, alias: string) => ({
  ...documentReads<OrderDocument>(es, alias, "order"),

  async listByCustomer(customerId: string, options: { limit: number; cursor?: string | undefined; signal?: AbortSignal | undefined }) {
    const limit = pageLimit(options.limit);
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
    const page = pageOf(result, limit, SORT);
    return { orders: page.items, total: page.total, nextCursor: page.nextCursor ?? "" };
  },
});

export type OrderQueries = ReturnType<typeof createOrderQueries>;
