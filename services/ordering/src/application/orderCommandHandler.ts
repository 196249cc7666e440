import { commandHandlerFor, type WriteSide } from "@bazaar/service-kit";
import { orderDecider } from "../domain/orderDecider.js";
import { decodeOrderEvent } from "../events/orderIntegrationEvents.js";

/** Runs order commands; bump the schema when OrderState changes shape. Placing an order starts its stream without reading it. */
export const createOrderCommandHandler = (write: WriteSide) =>
  commandHandlerFor(write, orderDecider, decodeOrderEvent, { snapshotSchema: 1, startsStream: (command) => command.type === "PlaceOrder" });

export type OrderCommandHandler = ReturnType<typeof createOrderCommandHandler>;
