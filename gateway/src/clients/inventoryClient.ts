import { InventoryCommandServiceService, InventoryQueryServiceService } from "@bazaar/contracts/inventory/v1";
import type { UnaryClient } from "@bazaar/runtime";
import { joinClients, type Connect, type ContextAddresses } from "./connect.js";

type InventoryServices = UnaryClient<typeof InventoryCommandServiceService> & UnaryClient<typeof InventoryQueryServiceService>;

/** The calls only the gateway's sagas make on inventory: reservations. */
type SagaOnly = "reserve" | "release";

/** The gateway's view of inventory: what its routes call. */
export type InventoryClient = Omit<InventoryServices, SagaOnly>;

/** What only the gateway's sagas call on inventory: reservations. */
export type InventorySagaClient = Pick<InventoryServices, SagaOnly>;

export const createInventoryClient = (connect: Connect, addresses: ContextAddresses): InventoryServices =>
  joinClients(connect(InventoryCommandServiceService, addresses.commandAddress), connect(InventoryQueryServiceService, addresses.queryAddress));
