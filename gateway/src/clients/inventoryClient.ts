import { remainingBudgetMs } from "../http/requestBudget.js";
import {
  InventoryCommandServiceClient,
  InventoryQueryServiceClient,
  type GetStockLevelRequest,
  type GetStockLevelResponse,
  type RestockRequest,
  type RestockResponse,
} from "@bazaar/contracts/inventory/v1";
import { callUnary } from "@bazaar/runtime";
import { credentials, type Metadata } from "@grpc/grpc-js";

/** The gateway's view of inventory (reservations are the sagas' business, not the REST API's). */
export interface InventoryClient {
  restock(request: RestockRequest, metadata: Metadata): Promise<RestockResponse>;
  getStockLevel(request: GetStockLevelRequest, metadata: Metadata): Promise<GetStockLevelResponse>;
  close(): void;
}

export const createInventoryClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number }): InventoryClient => {
  const commands = new InventoryCommandServiceClient(settings.commandAddress, credentials.createInsecure());
  const queries = new InventoryQueryServiceClient(settings.queryAddress, credentials.createInsecure());
  const timeoutMs = settings.timeoutMs;
  return {
    restock: (request, metadata) => callUnary(commands.restock.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getStockLevel: (request, metadata) => callUnary(queries.getStockLevel.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    close() {
      commands.close();
      queries.close();
    },
  };
};
