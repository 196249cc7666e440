import { randomUUID } from "node:crypto";
import { createCommandHandler } from "@bazaar/event-store";
import type { WriteSide } from "@bazaar/service-kit";
import { productDecider } from "../domain/productDecider.js";

/** Bump when ProductState changes shape: older snapshots are then ignored. */
const PRODUCT_SNAPSHOT_SCHEMA = 2;

/** Runs product commands: state from snapshot + events, appends through the reliable publisher. */
export const createProductCommandHandler = (deps: WriteSide) =>
  createCommandHandler({
    decider: productDecider,
    eventStore: deps.eventStore,
    append: deps.append,
    snapshots: { store: deps.snapshots, every: deps.snapshotEvery, schema: PRODUCT_SNAPSHOT_SCHEMA },
    newEventId: randomUUID,
    now: () => new Date(),
    onSnapshotError: deps.onSnapshotError,
  });

export type ProductCommandHandler = ReturnType<typeof createProductCommandHandler>;
