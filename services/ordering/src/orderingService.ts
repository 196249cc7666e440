import type { ServiceParts, WriteSide } from "@bazaar/service-kit";
import { createOrderCommandHandler } from "./application/orderCommandHandler.js";
import { createOrderService } from "./application/orderService.js";
import { createOrdersByProduct, createProductReplica, ensureOrderingSchema } from "./application/productReplica.js";
import { publishedOrderBody } from "./events/orderIntegrationEvents.js";
import { createOrderingCommandService } from "./grpc/orderingCommandService.js";
import { createOrderingQueryService } from "./grpc/orderingQueryService.js";
import { loadOrderingConfig } from "./orderingConfig.js";
import { orderViewProjection } from "./projections/orderViewProjection.js";
import { followCatalogChanges } from "./query/catalogChangeFeed.js";
import { connectCatalogQueries } from "./query/catalogQueries.js";
import { createOrderQueries } from "./query/orderQueries.js";
import { createProductDetailsSource } from "./query/productDetailsSource.js";
import { catalogReplicaReaction } from "./reactions/catalogReplicaReaction.js";
import { stockOutcomeReaction } from "./reactions/stockOutcomeReaction.js";

const writeModel = (write: WriteSide) => {
  const replica = createProductReplica(write.cassandra, write.keyspace);
  const orders = createOrderService({
    handle: createOrderCommandHandler(write),
    replica,
    ordersByProduct: createOrdersByProduct(write.cassandra, write.keyspace),
  });
  return { replica, orders };
};

/**
 * The ordering context: orders with a local replica of product data, the choreography with
 * inventory, the order view, and order details through the hybrid path.
 */
export const orderingService: ServiceParts = {
  context: "ordering",
  defaults: { grpcPort: 50053, metricsPort: 9466 },
  projections: [orderViewProjection],
  publishedBody: publishedOrderBody,
  // The product replica and the change feed read the catalog's events, the order outcome inventory's.
  consumes: ["catalog", "inventory"],
  ensureSchema: ensureOrderingSchema,
  commands: (write) => [createOrderingCommandService({ orders: writeModel(write).orders, logger: write.logger })],
  reactions: (write) => {
    const { replica, orders } = writeModel(write);
    return [catalogReplicaReaction({ replica, orders }), stockOutcomeReaction({ orders, eventStore: write.eventStore, logger: write.logger })];
  },
  async queries(read) {
    const config = loadOrderingConfig();
    const catalog = connectCatalogQueries(read, config);
    const details = createProductDetailsSource({
      catalog: catalog.catalog,
      ttlMs: config.cacheTtlMs,
      timeoutMs: config.breaker.timeoutMs,
      breakerState: catalog.breakerState,
    });
    const changes = await followCatalogChanges(read.nats, { namespace: read.namespace, create: read.provisioning.create }, (productId) =>
      details.invalidate(productId),
    );
    read.onShutdown({
      name: "catalog client",
      run: async () => {
        await changes.stop();
        catalog.close();
      },
    });
    return [createOrderingQueryService({ queries: createOrderQueries(read.es, read.topology.alias(orderViewProjection.alias)), details, logger: read.logger })];
  },
};
