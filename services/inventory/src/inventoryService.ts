import type { ServiceParts } from "@bazaar/service-kit";
import { createInventory } from "./application/reservations.js";
import { publishedInventoryBody } from "./events/inventoryIntegrationEvents.js";
import { createInventoryCommandService } from "./grpc/inventoryCommandService.js";
import { createInventoryQueryService } from "./grpc/inventoryQueryService.js";
import { stockLevelProjection } from "./projections/stockLevelProjection.js";
import { createStockLevelQueries } from "./query/stockLevelQueries.js";
import { createOrderStockReaction } from "./reactions/orderStockReaction.js";

/** The inventory context: stock per product, reservations per order, stock levels, and the reaction to orders. */
export const inventoryService: ServiceParts = {
  context: "inventory",
  defaults: { grpcPort: 50052, metricsPort: 9465 },
  projections: [stockLevelProjection],
  publishedBody: publishedInventoryBody,
  commands: (write) => [createInventoryCommandService({ inventory: createInventory(write), logger: write.logger })],
  queries: (read) => [
    createInventoryQueryService({ queries: createStockLevelQueries(read.es, read.topology.alias(stockLevelProjection.alias)), logger: read.logger }),
  ],
  reactions: (write) => [createOrderStockReaction(createInventory(write))],
  consumes: ["ordering"],
};
