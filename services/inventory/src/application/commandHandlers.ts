import { commandHandlerFor, type WriteSide } from "@bazaar/service-kit";
import { orderReservationDecider } from "../domain/orderReservationDecider.js";
import { stockItemDecider } from "../domain/stockItemDecider.js";
import { decodeOrderReservationEvent, decodeStockItemEvent } from "../events/inventoryIntegrationEvents.js";

/** Bump when a state changes shape: older snapshots are then ignored. */
const STOCK_ITEM_SNAPSHOT_SCHEMA = 1;

export type InventoryWriteSide = Pick<WriteSide, "eventStore" | "append" | "snapshots" | "snapshotEvery" | "onSnapshotError">;

/** Stock item streams grow with every order (hot products most), so they are snapshotted. */
export const createStockItemCommandHandler = (deps: InventoryWriteSide) =>
  commandHandlerFor(deps, stockItemDecider, decodeStockItemEvent, { snapshotSchema: STOCK_ITEM_SNAPSHOT_SCHEMA });

/** An order's reservation stream holds a handful of events: no snapshots. */
export const createOrderReservationCommandHandler = (deps: InventoryWriteSide) => commandHandlerFor(deps, orderReservationDecider, decodeOrderReservationEvent);

export type StockItemCommandHandler = ReturnType<typeof createStockItemCommandHandler>;
export type OrderReservationCommandHandler = ReturnType<typeof createOrderReservationCommandHandler>;
