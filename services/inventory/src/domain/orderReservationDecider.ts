import { assertNever, RuleViolationError, type Decider } from "@bazaar/core";
import type { OrderReservationCommand } from "./orderReservationCommands.js";
import type { OrderReservationEvent } from "./orderReservationEvents.js";
import { normalizeLines, type ReservationLine } from "./reservationLines.js";

/** An order's reservation through its life; every decided state is final for reserving. */
export type OrderReservationState =
  | { status: "none" }
  | { status: "pending"; lines: ReservationLine[] }
  | { status: "reserved"; lines: ReservationLine[] }
  | { status: "rejected"; lines: ReservationLine[]; reason: string; shortProductIds: string[] }
  | { status: "released"; lines: ReservationLine[] };

export const orderReservationDecider: Decider<OrderReservationCommand, OrderReservationEvent, OrderReservationState> = {
  initialState: () => ({ status: "none" }),

  decide(command, state) {
    switch (command.type) {
      case "RequestReservation": {
        const lines = normalizeLines(command.data.lines);
        // Idempotent per order id: a repeated request resumes (pending) or answers what was decided.
        if (state.status !== "none") return [];
        return [{ type: "inventory.StockReservationRequested.v1", data: { orderId: command.data.orderId, lines } }];
      }
      case "ConfirmReservation":
        if (state.status === "none") throw new RuleViolationError(`order ${command.data.orderId} has no reservation to confirm`);
        if (state.status !== "pending") return [];
        return [{ type: "inventory.StockReserved.v1", data: { orderId: command.data.orderId, lines: state.lines } }];
      case "RejectReservation": {
        if (state.status === "none") throw new RuleViolationError(`order ${command.data.orderId} has no reservation to reject`);
        if (state.status !== "pending") return [];
        const { orderId, reason, shortProductIds } = command.data;
        return [{ type: "inventory.StockReservationRejected.v1", data: { orderId, lines: state.lines, reason, shortProductIds } }];
      }
      case "ReleaseReservation":
        // Only held stock is released; a rejected, released or unknown order has nothing to give back.
        if (state.status !== "pending" && state.status !== "reserved") return [];
        return [{ type: "inventory.StockReleased.v1", data: { orderId: command.data.orderId, lines: state.lines } }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case "inventory.StockReservationRequested.v1":
        return { status: "pending", lines: event.data.lines };
      case "inventory.StockReserved.v1":
        return { status: "reserved", lines: event.data.lines };
      case "inventory.StockReservationRejected.v1": {
        const { lines, reason, shortProductIds } = event.data;
        return { status: "rejected", lines, reason, shortProductIds };
      }
      case "inventory.StockReleased.v1":
        return { status: "released", lines: event.data.lines };
      default:
        return assertNever(event);
    }
  },
};
