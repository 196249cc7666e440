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
import { credentials, type ChannelOptions, type Metadata } from "@grpc/grpc-js";

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

export const createInventoryClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number; clientOptions: ChannelOptions }): InventoryClient & InventorySagaClient => {
  const commands = new InventoryCommandServiceClient(settings.commandAddress, credentials.createInsecure(), settings.clientOptions);
  const queries = new InventoryQueryServiceClient(settings.queryAddress, credentials.createInsecure(), settings.clientOptions);
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
