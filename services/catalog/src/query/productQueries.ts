import { ValidationError } from "@bazaar/core";
import type { estypes } from "@elastic/elasticsearch";
import { decodeCursor, documentReads, pageLimit, pageOf, searchFrom } from "@bazaar/projections";
import type { Client } from "@elastic/elasticsearch";
import type { ProductDocument } from "../projections/productSearchProjection.js";

export interface ProductView extends ProductDocument {
  version: number;
}

export type ProductSort = "relevance" | "name" | "price-asc" | "price-desc" | "newest";

export interface ProductSearchCriteria {
  text: string;
  category?: string | undefined;
  /** Minor units, inclusive. */
  minPrice?: number | undefined;
  /** Minor units, inclusive. */
  maxPrice?: number | undefined;
  status?: ProductDocument["status"] | undefined;
  sort?: ProductSort | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface Bucket {
  key: string;
  count: number;
}

export interface PriceRange extends Bucket {
  from?: number;
  to?: number;
}

export interface ProductSearchResult {
  items: ProductView[];
  total: number;
  categories: Bucket[];
  statuses: Bucket[];
  priceRanges: PriceRange[];
  nextCursor?: string;
}

/** Price facet buckets, in minor units: under 10, 10–25, 25–50, 50–100, 100 and more. */
const PRICE_RANGES = [
  { key: "under-10", to: 1000 },
  { key: "10-25", from: 1000, to: 2500 },
  { key: "25-50", from: 2500, to: 5000 },
  { key: "50-100", from: 5000, to: 10000 },
  { key: "100-and-more", from: 10000 },
];

/** Every sort ends on productId, so `search_after` pages are stable and never skip a tie. */
const SORTS: Record<ProductSort, estypes.SortCombinations[]> = {
  relevance: [{ _score: { order: "desc" } }, { productId: "asc" }],
  name: [{ "name.keyword": "asc" }, { productId: "asc" }],
  "price-asc": [{ "price.amount": "asc" }, { productId: "asc" }],
  "price-desc": [{ "price.amount": "desc" }, { productId: "asc" }],
  newest: [{ createdAt: "desc" }, { productId: "asc" }],
};

/** Queries over the product search model. */
export const createProductQueries = (es: Client, alias: string) => ({
  ...documentReads<ProductDocument>(es, alias, "product"),

  async search(criteria: ProductSearchCriteria, signal?: AbortSignal): Promise<ProductSearchResult> {
    const limit = pageLimit(criteria.limit);
    if (criteria.minPrice !== undefined && criteria.maxPrice !== undefined && criteria.minPrice > criteria.maxPrice) {
      throw new ValidationError([{ field: "minPrice", message: "must not be greater than maxPrice" }]);
    }
    const text = criteria.text.trim();
    const sort = criteria.sort ?? (text ? "relevance" : "name");
    const filter: estypes.QueryDslQueryContainer[] = [];
    if (criteria.category) filter.push({ term: { category: criteria.category } });
    if (criteria.status) filter.push({ term: { status: criteria.status } });
    if (criteria.minPrice !== undefined || criteria.maxPrice !== undefined) {
      filter.push({ range: { "price.amount": { gte: criteria.minPrice, lte: criteria.maxPrice } } });
    }
    const result = await searchFrom(criteria.cursor, () =>
      es.search<ProductDocument>(
        {
          index: alias,
          size: limit,
          track_total_hits: true,
          version: true,
          query: {
            bool: { must: text ? [{ multi_match: { query: text, fields: ["name^3", "description"], operator: "and" } }] : [{ match_all: {} }], filter },
          },
          sort: SORTS[sort],
          ...(criteria.cursor ? { search_after: decodeCursor(criteria.cursor, sort) } : {}),
          aggs: {
            categories: { terms: { field: "category", size: 50 } },
            statuses: { terms: { field: "status", size: 5 } },
            prices: { range: { field: "price.amount", keyed: false, ranges: PRICE_RANGES } },
          },
        },
        signal ? { signal } : {},
      ),
    );
    const { items, total, nextCursor } = pageOf(result, limit, sort);
    const aggregations = result.aggregations as
      Record<string, { buckets: { key: string | number; doc_count: number; from?: number; to?: number }[] }> | undefined;
    const buckets = (name: string): Bucket[] => (aggregations?.[name]?.buckets ?? []).map((b) => ({ key: String(b.key), count: b.doc_count }));
    return {
      items,
      total,
      categories: buckets("categories"),
      statuses: buckets("statuses"),
      priceRanges: (aggregations?.prices?.buckets ?? []).map((b, i) => ({
        key: PRICE_RANGES[i]?.key ?? String(b.key),
        count: b.doc_count,
        ...(b.from !== undefined ? { from: b.from } : {}),
        ...(b.to !== undefined ? { to: b.to } : {}),
      })),
      ...(nextCursor ? { nextCursor } : {}),
    };
  },
});

export type ProductQueries = ReturnType<typeof createProductQueries>;
