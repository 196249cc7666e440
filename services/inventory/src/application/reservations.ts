import { createKeyedSerializer, fold, parseId, type EventMetadata } from "@bazaar/core";
import type { CommandResult } from "@bazaar/event-store";
import { CONFLICT_RETRY, retryOnConflict, type RetryPolicy } from "@bazaar/runtime";
import { orderReservationDecider, type OrderReservationState } from "../domain/orderReservationDecider.js";
import type { ReservationLine } from "../domain/reservationLines.js";
import { InsufficientStockError, availableOf, stockItemDecider } from "../domain/stockItemDecider.js";
import { reservationStreamId, stockStreamId } from "../domain/streams.js";
import { decodeOrderReservationEvent, decodeStockItemEvent } from "../events/inventoryIntegrationEvents.js";
import { createOrderReservationCommandHandler, createStockItemCommandHandler, type InventoryWriteSide } from "./commandHandlers.js";

export interface StreamPosition {
  streamId: string;
  version: number;
}

/** Where an order's reservation stands; `none` when inventory never heard of the order. */
export interface ReservationOutcome {
  status: OrderReservationState["status"];
  reason: string;
  shortProductIds: string[];
  position: StreamPosition;
}

const INSUFFICIENT_STOCK = "insufficient stock";

const outcomeOf = (result: Pick<CommandResult<OrderReservationState>, "state" | "streamId" | "version">): ReservationOutcome => ({
  status: result.state.status,
  reason: result.state.status === "rejected" ? result.state.reason : "",
  shortProductIds: result.state.status === "rejected" ? result.state.shortProductIds : [],
  position: { streamId: result.streamId, version: result.version },
});

/**
 * The inventory's use cases. Reserve takes an order's stock all lines or none; every step is
 * idempotent per order id, so a retry after a crash at any point (a redelivered event, a retried
 * saga step) converges on one outcome:
 *
 * 1. record the request (the lines) on the order's reservation stream — from here on a release
 *    knows what to give back;
 * 2. hold each line's stock on its stock item, in product id order (two orders contending for the
 *    same products take them in the same order), retrying lost races on hot items;
 * 3. all held → StockReserved; a line short → give every hold back, then StockReservationRejected.
 *
 * A concurrent writer that decided the order first wins; the loser reconciles the holds with
 * the winner's outcome.
 *
 * Commands on one stock item run one at a time in this process: a hot item's holds would
 * otherwise race each other for its next version, and every lost race is a whole command again
 * (read, conditional append, outbox row) — 5 to 12 outbox writes per order on a hot item, and
 * reservations failing once 20 attempts were lost. Races with other processes remain, and are
 * retried.
 */
export const createInventory = (deps: InventoryWriteSide & { retry?: RetryPolicy }) => {
  const stockItem = createStockItemCommandHandler(deps);
  const oneAtATime = createKeyedSerializer();
  const stock: typeof stockItem = (streamId, command, options) => oneAtATime(streamId, () => stockItem(streamId, command, options));
  const orders = createOrderReservationCommandHandler(deps);
  const retry = deps.retry ?? CONFLICT_RETRY;

  const holdLine = (orderId: string, line: ReservationLine, metadata: EventMetadata) =>
    retryOnConflict(
      () => stock(stockStreamId(line.productId), { type: "ReserveStock", data: { productId: line.productId, orderId, quantity: line.quantity } }, { metadata }),
      retry,
    );

  const releaseLines = async (orderId: string, lines: readonly ReservationLine[], metadata: EventMetadata) => {
    for (const { productId } of lines) {
      await retryOnConflict(() => stock(stockStreamId(productId), { type: "ReleaseStock", data: { productId, orderId } }, { metadata }), retry);
    }
  };

  /** Read-only: would this line fit? (used to name every short product, not just the first). */
  const fits = async (orderId: string, line: ReservationLine) => {
    const state = fold(stockItemDecider, (await deps.eventStore.readStream(stockStreamId(line.productId))).map(decodeStockItemEvent));
    return state.reservations[orderId] !== undefined || availableOf(state) >= line.quantity;
  };

  /** Makes the stock holds match what the order's stream says, after another writer decided it. */
  const reconcile = async (orderId: string, state: OrderReservationState, metadata: EventMetadata) => {
    if (state.status === "reserved") for (const line of state.lines) await holdLine(orderId, line, metadata);
    else if (state.status === "rejected" || state.status === "released") await releaseLines(orderId, state.lines, metadata);
  };

  const decideOrder = async (orderId: string, lines: readonly ReservationLine[], metadata: EventMetadata) => {
    const short: string[] = [];
    for (const line of lines) {
      if (short.length > 0) {
        if (!(await fits(orderId, line))) short.push(line.productId);
        continue;
      }
      try {
        await holdLine(orderId, line, metadata);
      } catch (error) {
        if (!(error instanceof InsufficientStockError)) throw error;
        short.push(line.productId);
      }
    }
    if (short.length > 0) await releaseLines(orderId, lines, metadata);
    const streamId = reservationStreamId(orderId);
    const decided = await retryOnConflict(
      () =>
        orders(
          streamId,
          short.length > 0
            ? { type: "RejectReservation", data: { orderId, reason: INSUFFICIENT_STOCK, shortProductIds: short } }
            : { type: "ConfirmReservation", data: { orderId } },
          { metadata },
        ),
      retry,
    );
    if (decided.events.length === 0) await reconcile(orderId, decided.state, metadata);
    return outcomeOf(decided);
  };

  return {
    /** Adds stock to a product. */
    async restock(productId: string, quantity: number, metadata: EventMetadata): Promise<StreamPosition> {
      const id = parseId(productId, "productId");
      const result = await retryOnConflict(() => stock(stockStreamId(id), { type: "Restock", data: { productId: id, quantity } }, { metadata }), retry);
      return { streamId: result.streamId, version: result.version };
    },

    /** Reserves every line or none; insufficient stock is an outcome (rejected), not an error. */
    async reserve(orderId: string, lines: readonly ReservationLine[], metadata: EventMetadata): Promise<ReservationOutcome> {
      const id = parseId(orderId, "orderId");
      const requested = await retryOnConflict(
        () => orders(reservationStreamId(id), { type: "RequestReservation", data: { orderId: id, lines: [...lines] } }, { metadata }),
        retry,
      );
      // Already decided: answer what was decided. Pending: a first run, or a retry resuming one.
      if (requested.state.status !== "pending") return outcomeOf(requested);
      return decideOrder(id, requested.state.lines, metadata);
    },

    /**
     * Gives an order's stock back. The release is recorded first, so a reservation still under
     * way for the order cannot confirm afterwards (it reconciles by releasing); the holds are
     * then released, also again on a repeated call, so a crash in between heals on retry.
     */
    async release(orderId: string, metadata: EventMetadata): Promise<ReservationOutcome> {
      const id = parseId(orderId, "orderId");
      const result = await retryOnConflict(() => orders(reservationStreamId(id), { type: "ReleaseReservation", data: { orderId: id } }, { metadata }), retry);
      if (result.state.status === "released") await releaseLines(id, result.state.lines, metadata);
      return outcomeOf(result);
    },

    /** The order's reservation as its stream says (no side effects). */
    async reservationOf(orderId: string): Promise<ReservationOutcome> {
      const id = parseId(orderId, "orderId");
      const streamId = reservationStreamId(id);
      const events = await deps.eventStore.readStream(streamId);
      return outcomeOf({ streamId, version: events.at(-1)?.version ?? 0, state: fold(orderReservationDecider, events.map(decodeOrderReservationEvent)) });
    },
  };
};

export type Inventory = ReturnType<typeof createInventory>;
