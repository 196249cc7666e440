import { InventoryQueryServiceService, type GetStockLevelRequest, type InventoryQueryServiceServer } from "@bazaar/contracts/inventory/v1";
import { consistencyFor } from "@bazaar/projections";
import { unary, type GrpcService, type Logger } from "@bazaar/runtime";
import { stockStreamId } from "../domain/streams.js";
import type { StockLevelQueries } from "../query/stockLevelQueries.js";

/** The inventory's read API over gRPC, answered from the stock levels read model. */
export const createInventoryQueryService = (deps: { queries: StockLevelQueries; logger: Logger }): GrpcService => {
  const implementation: InventoryQueryServiceServer = {
    getStockLevel: unary(deps.logger, async (request: GetStockLevelRequest, _metadata, { signal }) => {
      const stale = await deps.queries.isStale(request.productId, consistencyFor(stockStreamId(request.productId.toLowerCase()), request.consistency), signal);
      return { stock: await deps.queries.get(request.productId, signal), stale };
    }),
  };
  return { name: "bazaar.inventory.v1.InventoryQueryService", definition: InventoryQueryServiceService, implementation };
};
