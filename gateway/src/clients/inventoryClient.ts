import {
  InventoryCommandServiceService,
  InventoryQueryServiceService,
  type GetStockLevelRequest,
  type GetStockLevelResponse,
  type ReleaseRequest,
  type ReleaseResponse,
  type ReserveRequest,
  type ReserveResponse,
  type RestockRequest,
  type RestockResponse,
} from "@bazaar/contracts/inventory/v1";
import type { UnaryCall } from "@bazaar/runtime";
import { joinClients, type Connect, type ContextAddresses } from "./connect.js";

/** The gateway's view of inventory: what its routes call. */
export interface InventoryClient {
  restock: UnaryCall<RestockRequest, RestockResponse>;
  getStockLevel: UnaryCall<GetStockLevelRequest, GetStockLevelResponse>;
  close(): void;
}

/** What only the gateway's sagas call on inventory: reservations. */
export interface InventorySagaClient {
  reserve: UnaryCall<ReserveRequest, ReserveResponse>;
  release: UnaryCall<ReleaseRequest, ReleaseResponse>;
}

export const createInventoryClient = (connect: Connect, addresses: ContextAddresses): InventoryClient & InventorySagaClient =>
  joinClients(connect(InventoryCommandServiceService, addresses.commandAddress), connect(InventoryQueryServiceService, addresses.queryAddress));
