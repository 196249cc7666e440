import { randomUUID } from "node:crypto";
import { createCommandHandler, type EventSink, type EventStore } from "@bazaar/event-store";
import { productDecider } from "../domain/productDecider.js";

/** Runs product commands: event store for state and history, sink for publication. */
export const createProductCommandHandler = (deps: { eventStore: EventStore; sink: EventSink }) =>
  createCommandHandler({
    decider: productDecider,
    eventStore: deps.eventStore,
    sink: deps.sink,
    newEventId: randomUUID,
    now: () => new Date(),
  });

export type ProductCommandHandler = ReturnType<typeof createProductCommandHandler>;
