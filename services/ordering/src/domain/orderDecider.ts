import { AlreadyExistsError, assertNever, NotFoundError, RuleViolationError, type Decider } from "@bazaar/core";
import type { OrderCommand } from "./orderCommands.js";
import type { OrderEvent, OrderFlow, OrderLine } from "./orderEvents.js";
import { sameLines, validateLines } from "./orderRules.js";

interface Order {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  flow: OrderFlow;
  /** Per product, the catalog version of the name the order carries (0 = as placed). */
  nameVersions: Record<string, number>;
}

/** The order's state machine: pending → confirmed | rejected; pending | confirmed → cancelled. */
export type OrderState =
  | { status: "none" }
  | ({ status: "pending" } & Order)
  | ({ status: "confirmed" } & Order)
  | ({ status: "rejected"; reason: string } & Order)
  | ({ status: "cancelled"; reason: string } & Order);

const existing = (state: OrderState) => {
  if (state.status === "none") throw new NotFoundError("order not found");
  return state;
};

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: () => ({ status: "none" }),

  decide(command, state) {
    switch (command.type) {
      case "PlaceOrder": {
        const { orderId, lines } = command.data;
        validateLines(lines);
        if (state.status !== "none") {
          // Placing the same order again is a retry; placing other lines under its id is not.
          if (sameLines(state.lines, lines)) return [];
          throw new AlreadyExistsError(`order ${orderId} already exists with other lines`);
        }
        return [{ type: "ordering.OrderPlaced.v1", data: command.data }];
      }
      case "ConfirmOrder": {
        const order = existing(state);
        if (order.status === "confirmed") return [];
        if (order.status !== "pending") throw new RuleViolationError(`order ${order.orderId} is ${order.status}; only a pending order can be confirmed`);
        const reserved = new Map(command.data.reservedLines.map((line) => [line.productId, line.quantity]));
        const uncovered = order.lines.filter((line) => (reserved.get(line.productId) ?? 0) < line.quantity);
        if (uncovered.length > 0) {
          throw new RuleViolationError(`stock is not reserved for ${uncovered.map((line) => line.productId).join(", ")}: the order cannot be confirmed`);
        }
        return [{ type: "ordering.OrderConfirmed.v1", data: { orderId: order.orderId } }];
      }
      case "RejectOrder": {
        const order = existing(state);
        if (order.status === "rejected") return [];
        if (order.status !== "pending") throw new RuleViolationError(`order ${order.orderId} is ${order.status}; only a pending order can be rejected`);
        return [{ type: "ordering.OrderRejected.v1", data: { orderId: order.orderId, reason: command.data.reason } }];
      }
      case "CancelOrder": {
        const order = existing(state);
        if (order.status === "cancelled") return [];
        if (order.status === "rejected") throw new RuleViolationError(`order ${order.orderId} was rejected; there is nothing to cancel`);
        return [{ type: "ordering.OrderCancelled.v1", data: { orderId: order.orderId, reason: command.data.reason } }];
      }
      case "RenameOrderProduct": {
        const order = existing(state);
        const { productId, name, catalogVersion } = command.data;
        const line = order.lines.find((l) => l.productId === productId);
        // Renames arrive at least once and possibly late: only a newer one changes the order.
        if (!line || catalogVersion <= (order.nameVersions[productId] ?? 0) || line.productName === name) return [];
        return [{ type: "ordering.OrderProductRenamed.v1", data: { orderId: order.orderId, productId, name, catalogVersion } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case "ordering.OrderPlaced.v1": {
        const { orderId, customerId, lines, flow } = event.data;
        return { status: "pending", orderId, customerId, lines, flow, nameVersions: {} };
      }
      case "ordering.OrderConfirmed.v1":
        return state.status === "none" ? state : { ...state, status: "confirmed" };
      case "ordering.OrderRejected.v1":
        return state.status === "none" ? state : { ...state, status: "rejected", reason: event.data.reason };
      case "ordering.OrderCancelled.v1":
        return state.status === "none" ? state : { ...state, status: "cancelled", reason: event.data.reason };
      case "ordering.OrderProductRenamed.v1": {
        if (state.status === "none") return state;
        const { productId, name, catalogVersion } = event.data;
        return {
          ...state,
          lines: state.lines.map((line) => (line.productId === productId ? { ...line, productName: name } : line)),
          nameVersions: { ...state.nameVersions, [productId]: catalogVersion },
        };
      }
      default:
        return assertNever(event);
    }
  },
};
