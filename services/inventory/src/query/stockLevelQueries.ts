import { parseId } from "@bazaar/core";
import { awaitConsistency } from "@bazaar/projections";
import type { Client } from "@elastic/elasticsearch";
import type { StockLevelDocument } from "../projections/stockLevelProjection.js";

export interface StockLevelView {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  /** The stock item stream's version the levels reflect; 0 for a product never restocked. */
  version: number;
}

/** Queries over the stock levels read model. */
export const createStockLevelQueries = (es: Client, alias: string) => ({
  /** Read-your-writes: waits (bounded) for the document to reach `minVersion`; true if it did not. */
  isStale: (id: string, consistency: { minVersion: number; waitMs: number } | undefined, signal?: AbortSignal) =>
    awaitConsistency(es, { index: alias, id: id.toLowerCase() }, consistency, { signal }),

  /** A product never restocked has zero stock, not "not found". */
  async get(productId: string, signal?: AbortSignal): Promise<StockLevelView> {
    const id = parseId(productId, "productId");
    const result = await es.get<StockLevelDocument>({ index: alias, id }, { ignore: [404], ...(signal ? { signal } : {}) });
    if (!result.found || !result._source) return { productId: id, onHand: 0, reserved: 0, available: 0, version: 0 };
    const { onHand, reserved, available } = result._source;
    return { productId: id, onHand, reserved, available, version: result._version ?? 0 };
  },
});

export type StockLevelQueries = ReturnType<typeof createStockLevelQueries>;
