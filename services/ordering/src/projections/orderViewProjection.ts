import { assertNever } from "@bazaar/core";
import { eventDocumentProjection } from "@bazaar/projections";
import type { Money, OrderEvent, OrderFlow, OrderLine, OrderPlaced } from "../domain/orderEvents.js";
import { isOrderStream, orderIdOfStream } from "../domain/orderStream.js";
import { orderEvents } from "../events/orderIntegrationEvents.js";

export type OrderStatus = "PENDING" | "CONFIRMED" | "REJECTED" | "CANCELLED";

/** An order as its read model keeps it: lines with their current product names. */
export interface OrderDocument {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  status: OrderStatus;
  flow: OrderFlow;
  total: Money;
  reason: string;
  placedAt: string;
  updatedAt: string;
}

const money = { properties: { amount: { type: "long" }, currency: { type: "keyword" } } };

/** The order a placement begins: pending, its total the sum of its lines. */
const placedOrder = ({ data: { orderId, customerId, lines, flow, placedAt } }: OrderPlaced, at: string): OrderDocument => {
  const total = { amount: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice.amount, 0), currency: lines[0]?.unitPrice.currency ?? "EUR" };
  return { orderId, customerId, lines, status: "PENDING", flow, total, reason: "", placedAt, updatedAt: at };
};

/** Orders by id and a customer's order history, carrying current product names. */
export const orderViewProjection = eventDocumentProjection<OrderDocument, OrderEvent, "ordering.OrderPlaced.v1">({
  name: "ordering-order-view",
  alias: "ordering-orders",
  properties: {
    orderId: { type: "keyword" },
    customerId: { type: "keyword" },
    lines: {
      properties: {
        productId: { type: "keyword" },
        quantity: { type: "integer" },
        productName: { type: "text", analyzer: "standard", fields: { keyword: { type: "keyword", ignore_above: 256 } } },
        unitPrice: money,
      },
    },
    status: { type: "keyword" },
    flow: { type: "keyword" },
    total: money,
    reason: { type: "text", analyzer: "standard" },
    placedAt: { type: "date" },
  },
  handlesStream: isOrderStream,
  documentId: orderIdOfStream,
  decodeKnown: orderEvents.decodeKnown,
  first: { type: "ordering.OrderPlaced.v1", document: placedOrder },
  apply(current, event, at) {
    switch (event.type) {
      case "ordering.OrderConfirmed.v1":
        return { ...current, status: "CONFIRMED", updatedAt: at };
      case "ordering.OrderRejected.v1":
        return { ...current, status: "REJECTED", reason: event.data.reason, updatedAt: at };
      case "ordering.OrderCancelled.v1":
        return { ...current, status: "CANCELLED", reason: event.data.reason, updatedAt: at };
      case "ordering.OrderProductRenamed.v1": {
        const { productId, name } = event.data;
        return { ...current, lines: current.lines.map((l) => (l.productId === productId ? { ...l, productName: name } : l)), updatedAt: at };
      }
      default:
        return assertNever(event);
    }
  },
});
