import type { CatalogQueryServiceService, Product } from "@bazaar/contracts/catalog/v1";
import { isBazaarError } from "@bazaar/core";
import { CircuitOpenError, createBoundedCache, type BreakerState, type UnaryClient } from "@bazaar/runtime";

export type { BreakerState };

export interface DetailsResult {
  products: Map<string, Product>;
  /** Why some products' details are missing (breaker open, timeout, catalog unavailable). */
  degradedReason?: string;
}

/** What the product details cache may hold: some thousands of products. */
const PRODUCT_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Product details from the catalog at read time (the hybrid path): a TTL cache first, then the
 * guarded catalog client (connectCatalogQueries: breaker, timeout, bulkhead). A caller error
 * (unknown product) is an answer, not an outage: the guard never counts it against the breaker.
 * Catalog events invalidate the cache entry of the product they concern.
 */
export const createProductDetailsSource = (deps: {
  catalog: Pick<UnaryClient<typeof CatalogQueryServiceService>, "getProductDetails">;
  ttlMs: number;
  /** The guard's timeout, for the degraded answer's reason. */
  timeoutMs: number;
  /** The state of the breaker in front of getProductDetails. */
  breakerState: () => BreakerState;
}) => {
  // Keyed by product id, which callers choose: bounded by bytes, entries dropped after the TTL.
  const cache = createBoundedCache<string, Product>({ maxBytes: PRODUCT_CACHE_BYTES, ttlMs: Math.max(1, deps.ttlMs) });

  const one = async (productId: string): Promise<Product | { failure: string }> => {
    const hit = cache.get(productId);
    if (hit) return hit;
    try {
      const { product } = await deps.catalog.getProductDetails({ productId });
      if (!product) return { failure: "catalog answered without a product" };
      // A TTL of 0 turns the cache off (lru-cache would read ttl 0 as "for ever").
      if (deps.ttlMs > 0) cache.set(productId, product);
      return product;
    } catch (error) {
      if (error instanceof CircuitOpenError || deps.breakerState() === "open") return { failure: "catalog circuit breaker is open" };
      if (isBazaarError(error) && error.kind === "timeout") return { failure: `catalog timed out after ${deps.timeoutMs} ms` };
      return { failure: `catalog unavailable: ${error instanceof Error ? error.message : String(error)}` };
    }
  };

  return {
    async details(productIds: readonly string[]): Promise<DetailsResult> {
      const results = await Promise.all(productIds.map(async (id) => [id, await one(id)] as const));
      const products = new Map<string, Product>();
      let degradedReason: string | undefined;
      for (const [id, result] of results) {
        if ("failure" in result) degradedReason ??= result.failure;
        else products.set(id, result);
      }
      return degradedReason ? { products, degradedReason } : { products };
    },
    invalidate(productId: string) {
      cache.delete(productId);
    },
    state(): BreakerState {
      return deps.breakerState();
    },
  };
};

export type ProductDetailsSource = ReturnType<typeof createProductDetailsSource>;
