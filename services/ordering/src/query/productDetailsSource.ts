import { isBazaarError } from "@bazaar/core";
import type { CatalogQueryServiceService, Product } from "@bazaar/contracts/catalog/v1";
import { createBoundedCache, type UnaryClient } from "@bazaar/runtime";
import CircuitBreaker from "opossum";

export type BreakerState = "closed" | "open" | "half-open";

export interface DetailsResult {
  products: Map<string, Product>;
  /** Why some products' details are missing (breaker open, timeout, catalog unavailable). */
  degradedReason?: string;
}

export interface BreakerSettings {
  timeoutMs: number;
  errorThresholdPercentage: number;
  resetTimeoutMs: number;
  volumeThreshold: number;
}

/** What the product details cache may hold: some thousands of products. */
const PRODUCT_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Product details from the catalog at read time (the hybrid path): a TTL cache first, then a
 * gRPC call behind a circuit breaker with a timeout. A caller error (unknown product) is an
 * answer, not an outage: it never counts against the breaker. Catalog events invalidate the
 * cache entry of the product they concern.
 */
export const createProductDetailsSource = (deps: {
  catalog: Pick<UnaryClient<typeof CatalogQueryServiceService>, "getProductDetails">;
  ttlMs: number;
  breaker: BreakerSettings;
}) => {
  // Keyed by product id, which callers choose: bounded by bytes, entries dropped after the TTL.
  const cache = createBoundedCache<string, Product>({ maxBytes: PRODUCT_CACHE_BYTES, ttlMs: Math.max(1, deps.ttlMs) });
  const fetchProduct = (productId: string) => deps.catalog.getProductDetails({ productId });
  const breaker = new CircuitBreaker(fetchProduct, {
    timeout: deps.breaker.timeoutMs,
    errorThresholdPercentage: deps.breaker.errorThresholdPercentage,
    resetTimeout: deps.breaker.resetTimeoutMs,
    volumeThreshold: deps.breaker.volumeThreshold,
    // Not-found and invalid requests are answers from a healthy catalog.
    errorFilter: (error: unknown) => isBazaarError(error) && error.kind !== "unavailable" && error.kind !== "timeout",
  });

  const one = async (productId: string): Promise<Product | { failure: string }> => {
    const hit = cache.get(productId);
    if (hit) return hit;
    try {
      const { product } = await breaker.fire(productId);
      if (!product) return { failure: "catalog answered without a product" };
      // A TTL of 0 turns the cache off (lru-cache would read ttl 0 as "for ever").
      if (deps.ttlMs > 0) cache.set(productId, product);
      return product;
    } catch (error) {
      if (breaker.opened) return { failure: "catalog circuit breaker is open" };
      const message = error instanceof Error ? error.message : String(error);
      return { failure: /timed out/i.test(message) ? `catalog timed out after ${deps.breaker.timeoutMs} ms` : `catalog unavailable: ${message}` };
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
      return breaker.opened ? "open" : breaker.halfOpen ? "half-open" : "closed";
    },
    shutdown() {
      breaker.shutdown();
    },
  };
};

export type ProductDetailsSource = ReturnType<typeof createProductDetailsSource>;
