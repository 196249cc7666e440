import {
  decodeIntegrationEvent,
  decodedEvent,
  encodeEvent,
  eventDecoder,
  isIntegrationEventType,
  publishedBody,
  type IntegrationEventType,
} from "@bazaar/contracts/events";
import { assertNever } from "@bazaar/core";
import type { OrderReservationEvent } from "../domain/orderReservationEvents.js";
import type { StockItemEvent } from "../domain/stockItemEvents.js";
import { reservationLinesData, stockItemReservationData } from "./privateEventData.js";

/**
 * Inventory's events and their published contract (`bazaar.inventory.v1` events.proto), both
 * ways, in this one place. StockAdded, StockReserved, StockReservationRejected and StockReleased
 * are public: published as their messages in proto3 JSON. The stock holds and the reservation
 * request are inventory's own (its stock-level projector reads the holds): published as stored,
 * decoded strictly here all the same.
 */

export type InventoryEvent = StockItemEvent | OrderReservationEvent;

type PublicInventoryEvent = Extract<InventoryEvent, { type: IntegrationEventType }>;

const isPublic = (event: InventoryEvent): event is PublicInventoryEvent => isIntegrationEventType(event.type);

const lines = (ls: readonly { productId: string; quantity: number }[]) => ls.map(({ productId, quantity }) => ({ productId, quantity }));

/** The published body of an inventory event: its message for a public event (one the contract has), the stored data for a private one. */
export const toInventoryIntegrationEvent = (event: InventoryEvent): unknown => (isPublic(event) ? encodeEvent(event) : event.data);

/** A stock item stream's event from its published or stored body; refused (ValidationError naming the field) when it does not decode. */
const stockItemEventOf = (type: StockItemEvent["type"], body: unknown): StockItemEvent => {
  switch (type) {
    case "inventory.StockAdded.v1":
      return decodedEvent(type, body);
    case "inventory.StockItemReserved.v1":
    case "inventory.StockItemReleased.v1":
      return { type, data: stockItemReservationData(body) };
    default:
      return assertNever(type);
  }
};

/** An order reservation stream's event from its published or stored body; refused like the above. */
const orderReservationEventOf = (type: OrderReservationEvent["type"], body: unknown): OrderReservationEvent => {
  switch (type) {
    case "inventory.StockReserved.v1":
    case "inventory.StockReleased.v1": {
      const data = decodeIntegrationEvent(type, body);
      return { type, data: { orderId: data.orderId, lines: lines(data.lines) } };
    }
    case "inventory.StockReservationRejected.v1": {
      const { orderId, lines: ls, reason, shortProductIds } = decodeIntegrationEvent(type, body);
      return { type, data: { orderId, lines: lines(ls), reason, shortProductIds } };
    }
    case "inventory.StockReservationRequested.v1":
      return { type, data: reservationLinesData(body) };
    default:
      return assertNever(type);
  }
};

/** A stock item stream's event (`stock-<productId>`), stored or published. */
export const stockItemEvents = eventDecoder<StockItemEvent>(
  "a stock item event",
  ["inventory.StockAdded.v1", "inventory.StockItemReserved.v1", "inventory.StockItemReleased.v1"],
  stockItemEventOf,
);

/** An order reservation stream's event (`reservation-<orderId>`), stored or published. */
export const orderReservationEvents = eventDecoder<OrderReservationEvent>(
  "an order reservation event",
  ["inventory.StockReservationRequested.v1", "inventory.StockReserved.v1", "inventory.StockReservationRejected.v1", "inventory.StockReleased.v1"],
  orderReservationEventOf,
);

export const decodeStockItemEvent = stockItemEvents.decode;
export const decodeOrderReservationEvent = orderReservationEvents.decode;

/** What inventory publishes each stored event as (see publishedBody: one it cannot map goes as stored). */
export const publishedInventoryBody = publishedBody((envelope) =>
  toInventoryIntegrationEvent(stockItemEvents.decodeKnown(envelope) ?? decodeOrderReservationEvent(envelope)),
);
