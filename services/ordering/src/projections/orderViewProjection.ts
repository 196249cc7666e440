import type { EventEnvelope } from "@bazaar/core";
import type { DocumentProjection } from "@bazaar/projections";
import type { Money, OrderFlow, OrderLine } from "../domain/orderEvents.js";
import { isOrderStream, orderIdOfStream } from "../domain/orderStream.js";
import { decodeOrderEvent, isOrderEventType } from "../events/orderIntegrationEvents.js";

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

/** Orders by id and a customer's order history, carrying current product names. */
export const orderViewProjection: DocumentProjection<OrderDocument> = {
  name: "ordering-order-view",
  alias: "ordering-orders",
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "1s" },
  mappings: {
    dynamic: "strict",
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
      updatedAt: { type: "date" },
    },
  },
  handlesStream: isOrderStream,
  documentId: orderIdOfStream,

  evolve(current, envelope: EventEnvelope) {
    const at = envelope.recordedAt.toISOString();
    // Stored (rebuild, gap repair) or published: one decode; an event type it does not know only moves the time.
    const event = isOrderEventType(envelope.type) ? decodeOrderEvent(envelope) : undefined;
    if (event?.type === "ordering.OrderPlaced.v1") {
      const { orderId, customerId, lines, flow, placedAt } = event.data;
      const total = { amount: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice.amount, 0), currency: lines[0]?.unitPrice.currency ?? "EUR" };
      return { orderId, customerId, lines, status: "PENDING", flow, total, reason: "", placedAt, updatedAt: at };
    }
    if (!current) throw new Error(`${envelope.type} arrived before OrderPlaced for ${envelope.streamId}`);
    switch (event?.type) {
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
        return { ...current, updatedAt: at };
    }
  },
};
