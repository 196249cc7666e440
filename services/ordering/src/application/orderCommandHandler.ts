import { commandHandlerFor, type WriteSide } from "@bazaar/service-kit";
import { orderDecider } from "../domain/orderDecider.js";

/** Runs order commands; bump the schema when OrderState changes shape. */
export const createOrderCommandHandler = (write: WriteSide) => commandHandlerFor(write, orderDecider, { snapshotSchema: 1 });

export type OrderCommandHandler = ReturnType<typeof createOrderCommandHandler>;
