import { OrderingCommandServiceService, OrderingQueryServiceService } from "@bazaar/contracts/ordering/v1";
import type { UnaryClient } from "@bazaar/runtime";
import { joinClients, type Connect, type ContextAddresses } from "./connect.js";

type OrderingServices = UnaryClient<typeof OrderingCommandServiceService> & UnaryClient<typeof OrderingQueryServiceService>;

/** The saga steps' calls on ordering that no route makes. */
type SagaOnly = "confirmOrder" | "rejectOrder" | "applyProductRename";

/** The gateway's view of ordering: what its routes call. */
export type OrderingClient = Omit<OrderingServices, SagaOnly>;

/** What the gateway's sagas call on ordering (their steps). */
export type OrderingSagaClient = Pick<OrderingServices, SagaOnly | "placeOrder" | "cancelOrder">;

export const createOrderingClient = (connect: Connect, addresses: ContextAddresses): OrderingServices =>
  joinClients(connect(OrderingCommandServiceService, addresses.commandAddress), connect(OrderingQueryServiceService, addresses.queryAddress));
