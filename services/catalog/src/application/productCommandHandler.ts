import { commandHandlerFor, type WriteSide } from "@bazaar/service-kit";
import { productDecider } from "../domain/productDecider.js";
import { decodeProductEvent } from "../events/productIntegrationEvents.js";

/** Runs product commands; bump the schema when ProductState changes shape. A create starts its stream without reading it. */
export const createProductCommandHandler = (write: WriteSide) =>
  commandHandlerFor(write, productDecider, decodeProductEvent, { snapshotSchema: 2, startsStream: (command) => command.type === "CreateProduct" });

export type ProductCommandHandler = ReturnType<typeof createProductCommandHandler>;
