import { ValidationError, type EventEnvelope, type EventMetadata } from "@bazaar/core";
import type { Reaction } from "@bazaar/service-kit";
import type { Inventory } from "../application/reservations.js";

/** What inventory reads of ordering's events (the rest of their data is ordering's business). */
interface OrderPlacedData {
  orderId: string;
  lines: { productId: string; quantity: number }[];
  /** Only async orders are inventory's to reserve; sync ones are the gateway saga's. */
  async: boolean;
}

interface OrderCancelledData {
  orderId: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** int64 in proto3 JSON may arrive as a number or a decimal string. */
const quantityOf = (value: unknown): number | undefined =>
  typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : undefined;

/** The flow as the lead's brief writes it ("async") or as proto3 JSON writes the enum ("ORDER_FLOW_ASYNC", or 1). */
const isAsyncFlow = (flow: unknown): boolean => flow === "async" || flow === "ORDER_FLOW_ASYNC" || flow === 1;

const orderPlaced = (data: unknown): OrderPlacedData => {
  if (!isRecord(data) || typeof data.orderId !== "string" || !Array.isArray(data.lines)) {
    throw new ValidationError([{ field: "data", message: "OrderPlaced needs orderId and lines" }]);
  }
  const lines = data.lines.map((line: unknown, index) => {
    const quantity = isRecord(line) ? quantityOf(line.quantity) : undefined;
    if (!isRecord(line) || typeof line.productId !== "string" || quantity === undefined) {
      throw new ValidationError([{ field: `lines[${index}]`, message: "needs productId and quantity" }]);
    }
    return { productId: line.productId, quantity };
  });
  return { orderId: data.orderId, lines, async: isAsyncFlow(data.flow) };
};

const orderCancelled = (data: unknown): OrderCancelledData => {
  if (!isRecord(data) || typeof data.orderId !== "string") throw new ValidationError([{ field: "data", message: "OrderCancelled needs orderId" }]);
  return { orderId: data.orderId };
};

/** The events inventory writes in reaction to an ordering event are caused by that event. */
const causedBy = (event: EventEnvelope): EventMetadata => ({
  causationId: event.eventId,
  correlationId: event.metadata.correlationId,
  actor: event.metadata.actor,
  traceparent: event.metadata.traceparent,
});

/**
 * Choreography of the async order flow: a placed order's stock is reserved, a cancelled order's
 * released. One reaction (one consumer) for both, so an order's cancellation is handled after its
 * placement. Orders placed with flow "sync" are the gateway saga's to reserve. Reserve and Release
 * are idempotent per order id, so a redelivered event changes nothing; an event inventory cannot
 * read is a business refusal (ValidationError), dead-lettered by the reactor.
 */
export const createOrderStockReaction = (inventory: Inventory): Reaction => ({
  name: "order-stock",
  source: "ordering",
  async handle(event) {
    switch (event.type) {
      case "ordering.OrderPlaced.v1": {
        const placed = orderPlaced(event.data);
        if (!placed.async) return;
        await inventory.reserve(placed.orderId, placed.lines, causedBy(event));
        return;
      }
      case "ordering.OrderCancelled.v1":
        await inventory.release(orderCancelled(event.data).orderId, causedBy(event));
        return;
      default:
        return;
    }
  },
});
