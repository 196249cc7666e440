import { randomUUID } from "node:crypto";
import { createCommandHandler } from "@bazaar/event-store";
import type { WriteSide } from "@bazaar/service-kit";
import { orderDecider } from "../domain/orderDecider.js";

const ORDER_SNAPSHOT_SCHEMA = 1;

export const createOrderCommandHandler = (write: WriteSide) =>
  createCommandHandler({
    decider: orderDecider,
    eventStore: write.eventStore,
    append: write.append,
    snapshots: { store: write.snapshots, every: write.snapshotEvery, schema: ORDER_SNAPSHOT_SCHEMA },
    newEventId: randomUUID,
    now: () => new Date(),
    onSnapshotError: write.onSnapshotError,
  });

export type OrderCommandHandler = ReturnType<typeof createOrderCommandHandler>;
