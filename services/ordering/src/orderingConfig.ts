import { env, loadConfig } from "@bazaar/runtime";
import { z } from "zod";

/** What ordering reads beyond every context's settings: where the catalog is, and the hybrid path's limits. */
export const loadOrderingConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(
    z
      .object({
        CATALOG_QUERY_ADDRESS: env.string("127.0.0.1:50051"),
        PRODUCT_DETAILS_TIMEOUT_MS: env.int(300),
        PRODUCT_DETAILS_CACHE_TTL_MS: env.int(30_000),
        CATALOG_BREAKER_ERROR_PERCENT: env.int(50),
        CATALOG_BREAKER_RESET_MS: env.int(5_000),
        CATALOG_BREAKER_VOLUME: env.int(5),
        // Four orders of the most lines (MAX_LINES) fetching every detail at once; beyond, answers are degraded.
        CATALOG_BULKHEAD_LIMIT: z.coerce.number().int().min(1).default(400),
      })
      .transform((e) => ({
        catalogAddress: e.CATALOG_QUERY_ADDRESS,
        cacheTtlMs: e.PRODUCT_DETAILS_CACHE_TTL_MS,
        catalogBulkheadLimit: e.CATALOG_BULKHEAD_LIMIT,
        breaker: {
          timeoutMs: e.PRODUCT_DETAILS_TIMEOUT_MS,
          errorThresholdPercentage: e.CATALOG_BREAKER_ERROR_PERCENT,
          resetTimeoutMs: e.CATALOG_BREAKER_RESET_MS,
          volumeThreshold: e.CATALOG_BREAKER_VOLUME,
        },
      })),
    source,
  );

export type OrderingConfig = ReturnType<typeof loadOrderingConfig>;
