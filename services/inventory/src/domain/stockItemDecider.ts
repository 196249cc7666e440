import { assertNever, RuleViolationError, type Decider } from "@bazaar/core";
import { requireQuantity } from "./quantities.js";
import type { StockItemCommand } from "./stockItemCommands.js";
import type { StockItemEvent } from "./stockItemEvents.js";

/** A product's stock: what is on the shelf, and how much of it each order holds. */
export interface StockItemState {
  onHand: number;
  reservations: Record<string, number>;
}

export const reservedOf = (state: StockItemState): number => Object.values(state.reservations).reduce((sum, quantity) => sum + quantity, 0);

export const availableOf = (state: StockItemState): number => state.onHand - reservedOf(state);

/** Thrown when a reservation asks for more than is available; stock never goes negative. */
export class InsufficientStockError extends RuleViolationError {
  constructor(
    readonly productId: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(`insufficient stock of product ${productId}: ${requested} requested, ${available} available`);
  }
}

export const stockItemDecider: Decider<StockItemCommand, StockItemEvent, StockItemState> = {
  initialState: () => ({ onHand: 0, reservations: {} }),

  decide(command, state) {
    switch (command.type) {
      case "Restock":
        requireQuantity(command.data.quantity);
        return [{ type: "inventory.StockAdded.v1", data: command.data }];
      case "ReserveStock": {
        const { productId, orderId, quantity } = command.data;
        requireQuantity(quantity);
        // Idempotent per order: a retried reservation finds its hold already in place.
        if (state.reservations[orderId] !== undefined) return [];
        const available = availableOf(state);
        if (available < quantity) throw new InsufficientStockError(productId, quantity, available);
        return [{ type: "inventory.StockItemReserved.v1", data: { productId, orderId, quantity } }];
      }
      case "ReleaseStock": {
        const { productId, orderId } = command.data;
        const quantity = state.reservations[orderId];
        if (quantity === undefined) return [];
        return [{ type: "inventory.StockItemReleased.v1", data: { productId, orderId, quantity } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case "inventory.StockAdded.v1":
        return { ...state, onHand: state.onHand + event.data.quantity };
      case "inventory.StockItemReserved.v1":
        return { ...state, reservations: { ...state.reservations, [event.data.orderId]: event.data.quantity } };
      case "inventory.StockItemReleased.v1": {
        const { [event.data.orderId]: _released, ...rest } = state.reservations;
        return { ...state, reservations: rest };
      }
      default:
        return assertNever(event);
    }
  },
};
