import { NotFoundError, ValidationError } from "@bazaar/core";
import type { Client } from "@elastic/elasticsearch";
import type { ProductDocument } from "../projections/productSearchProjection.js";

export interface ProductView extends ProductDocument {
  version: number;
}

export interface ProductSearchResult {
  items: ProductView[];
  total: number;
}

const MAX_LIMIT = 100;

/** Queries over the product search model. */
export const createProductQueries = (es: Client, alias: string) => ({
  async get(productId: string): Promise<ProductView> {
    const result = await es.get<ProductDocument>({ index: alias, id: productId }, { ignore: [404] });
    if (!result.found || !result._source) throw new NotFoundError(`product ${productId} not found`);
    return { ...result._source, version: result._version ?? 0 };
  },

  async search(query: { text: string; limit: number }): Promise<ProductSearchResult> {
    if (query.limit < 0 || query.limit > MAX_LIMIT) throw new ValidationError([{ field: "limit", message: `must be between 1 and ${MAX_LIMIT}` }]);
    const text = query.text.trim();
    const result = await es.search<ProductDocument>({
      index: alias,
      size: query.limit || 20,
      track_total_hits: true,
      version: true,
      query: text
        ? { multi_match: { query: text, fields: ["name^3", "description"], operator: "and" } }
        : { match_all: {} },
      sort: text ? ["_score", { "name.keyword": "asc" }] : [{ "name.keyword": "asc" }],
    });
    const total = typeof result.hits.total === "number" ? result.hits.total : (result.hits.total?.value ?? 0);
    return {
      items: result.hits.hits.flatMap((hit) => (hit._source ? [{ ...hit._source, version: hit._version ?? 0 }] : [])),
      total,
    };
  },
});

export type ProductQueries = ReturnType<typeof createProductQueries>;
