import { remainingBudgetMs } from "../http/requestBudget.js";
import {
  InventoryCommandServiceClient,
  InventoryQueryServiceClient,
  type GetStockLevelRequest,
  type GetStockLevelResponse,
  type ReleaseRequest,
  type ReleaseResponse,
  type ReserveRequest,
  type ReserveResponse,
  type RestockRequest,
  type RestockResponse,
} from "@bazaar/contracts/inventory/v1";
import { callUnary } from "@bazaar/runtime";
import { credentials, type Metadata } from "@grpc/grpc-js";

/** The gateway's view of inventory: what its routes call. */
export interface InventoryClient {
  restock(request: RestockRequest, metadata: Metadata): Promise<RestockResponse>;
  getStockLevel(request: GetStockLevelRequest, metadata: Metadata): Promise<GetStockLevelResponse>;
  close(): void;
}

/** What only the gateway's sagas call on inventory: reservations. */
export interface InventorySagaClient {
  reserve(request: ReserveRequest, metadata: Metadata): Promise<ReserveResponse>;
  release(request: ReleaseRequest, metadata: Metadata): Promise<ReleaseResponse>;
}

export const createInventoryClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number }): InventoryClient & InventorySagaClient => {
  const commands = new InventoryCommandServiceClient(settings.commandAddress, credentials.createInsecure());
  const queries = new InventoryQueryServiceClient(settings.queryAddress, credentials.createInsecure());
  const timeoutMs = settings.timeoutMs;
  return {
    restock: (request, metadata) => callUnary(commands.restock.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    reserve: (request, metadata) => callUnary(commands.reserve.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    release: (request, metadata) => callUnary(commands.release.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getStockLevel: (request, metadata) => callUnary(queries.getStockLevel.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    close() {
      commands.close();
      queries.close();
    },
  };
};
