import { CatalogQueryServiceService } from "@bazaar/contracts/catalog/v1";
import { methodIdempotency } from "@bazaar/contracts/descriptors";
import { createResilience, createUnaryClient, resilienceMiddleware, type BreakerState } from "@bazaar/runtime";
import type { ReadSide } from "@bazaar/service-kit";
import type { OrderingConfig } from "../orderingConfig.js";

/**
 * Ordering's client of the catalog's queries (the hybrid path's call): the one client factory,
 * behind the guard every caller of a context uses — a breaker on getProductDetails with the
 * hybrid path's own limits, a bulkhead, metrics as `bazaar_ordering_*` on the process's registry.
 */
export const connectCatalogQueries = (read: Pick<ReadSide, "clientOptions" | "metrics">, config: OrderingConfig) => {
  const resilience = createResilience({
    registry: read.metrics,
    metricsPrefix: "bazaar_ordering",
    settings: {
      timeoutMs: config.breaker.timeoutMs,
      errorThresholdPercentage: config.breaker.errorThresholdPercentage,
      resetTimeoutMs: config.breaker.resetTimeoutMs,
      volumeThreshold: config.breaker.volumeThreshold,
      // The local copy answers at once: a degraded answer now beats a complete one after a backoff.
      maxRetries: 0,
      bulkheadLimit: config.catalogBulkheadLimit,
    },
  });
  const catalog = createUnaryClient(CatalogQueryServiceService, {
    service: "catalog",
    address: config.catalogAddress,
    channelOptions: read.clientOptions,
    // The deadline is twice the breaker's timeout: the breaker answers first, the call is cancelled after.
    timeoutMs: config.breaker.timeoutMs * 2,
    idempotencyOf: methodIdempotency,
    middleware: resilienceMiddleware(resilience),
  });
  return {
    catalog,
    breakerState: (): BreakerState => resilience.breakerState("catalog", "getProductDetails"),
    close() {
      catalog.close();
      resilience.close();
    },
  };
};
