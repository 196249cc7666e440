import { commandHandlerFor, type WriteSide } from "@bazaar/service-kit";
import { productDecider } from "../domain/productDecider.js";

/** Runs product commands; bump the schema when ProductState changes shape. */
export const createProductCommandHandler = (write: WriteSide) => commandHandlerFor(write, productDecider, { snapshotSchema: 2 });

export type ProductCommandHandler = ReturnType<typeof createProductCommandHandler>;
