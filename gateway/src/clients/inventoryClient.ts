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
import { budgetedCall } from "./budgetedCall.js";
import { credentials, type Metadata } from "@grpc/grpc-js";
import { CHANNEL_OPTIONS } from "@bazaar/runtime";

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
  const commands = new InventoryCommandServiceClient(settings.commandAddress, credentials.createInsecure(), CHANNEL_OPTIONS);
  const queries = new InventoryQueryServiceClient(settings.queryAddress, credentials.createInsecure(), CHANNEL_OPTIONS);
  const call = budgetedCall(settings.timeoutMs);
  return {
    restock: call(commands.restock.bind(commands)),
    reserve: call(commands.reserve.bind(commands)),
    release: call(commands.release.bind(commands)),
    getStockLevel: call(queries.getStockLevel.bind(queries)),
    close() {
      commands.close();
      queries.close();
    },
  };
};
