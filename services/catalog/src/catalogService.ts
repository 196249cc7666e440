import { createCassandraClaims, ensureClaimsSchema } from "@bazaar/event-store";
import type { ServiceParts } from "@bazaar/service-kit";
import { createProductCommandHandler } from "./application/productCommandHandler.js";
import { createCatalogCommandService } from "./grpc/catalogCommandService.js";
import { createCatalogHistoryService } from "./grpc/catalogHistoryService.js";
import { createCatalogQueryService } from "./grpc/catalogQueryService.js";
import { publishedProductBody } from "./events/productIntegrationEvents.js";
import { createProductHistory } from "./history/productHistory.js";
import { productSearchProjection } from "./projections/productSearchProjection.js";
import { createProductQueries } from "./query/productQueries.js";

const SKU_CLAIMS = "sku_claims";

/** The catalog context: products, their search model, and the gRPC APIs over both. */
export const catalogService: ServiceParts = {
  context: "catalog",
  defaults: { grpcPort: 50051, metricsPort: 9464 },
  projections: [productSearchProjection],
  publishedBody: publishedProductBody,
  ensureSchema: (cassandra, keyspace) => ensureClaimsSchema(cassandra, keyspace, SKU_CLAIMS),
  commands: (write) => [
    createCatalogCommandService({
      handle: createProductCommandHandler(write),
      skus: createCassandraClaims(write.cassandra, write.keyspace, SKU_CLAIMS),
      logger: write.logger,
    }),
    // History reads the event store, which only the command role holds.
    createCatalogHistoryService({ history: createProductHistory(write.eventStore), logger: write.logger }),
  ],
  queries: (read) => [
    createCatalogQueryService({ queries: createProductQueries(read.es, read.topology.alias(productSearchProjection.alias)), logger: read.logger }),
  ],
};
