import { decodeIntegrationEvent } from "@bazaar/contracts/events";
import { emittedEvent, refusedFields } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import type { OrderReservationCommand } from "../domain/orderReservationCommands.js";
import { orderReservationDecider } from "../domain/orderReservationDecider.js";
import type { StockItemCommand } from "../domain/stockItemCommands.js";
import { stockItemDecider } from "../domain/stockItemDecider.js";
import { decodeOrderReservationEvent, decodeStockItemEvent, publishedInventoryBody, type InventoryEvent } from "./inventoryIntegrationEvents.js";

const orderId = "5a1c2b3d-0000-4000-8000-000000000001";
const mug = "5a1c2b3d-0000-4000-8000-00000000000a";
const plate = "5a1c2b3d-0000-4000-8000-00000000000b";
const request: OrderReservationCommand = {
  type: "RequestReservation",
  data: {
    orderId,
    lines: [
      { productId: plate, quantity: 1 },
      { productId: mug, quantity: 2 },
    ],
  },
};
const reservedLines = [
  { productId: mug, quantity: 2 },
  { productId: plate, quantity: 1 },
];

/** Over the wire: the published body as JSON text, parsed back by a consumer. */
const wire = (event: InventoryEvent): unknown => JSON.parse(JSON.stringify(publishedInventoryBody(event)));

describe("inventory's integration events: what the deciders emit, as other contexts decode it", () => {
  it("StockAdded", () => {
    const restock: StockItemCommand = { type: "Restock", data: { productId: mug, quantity: 7 } };
    const event = emittedEvent(stockItemDecider, [], restock);
    expect(event.type).toBe("inventory.StockAdded.v1");
    expect(decodeIntegrationEvent("inventory.StockAdded.v1", wire(event))).toEqual({ productId: mug, quantity: 7 });
    expect(decodeStockItemEvent({ type: event.type, data: wire(event) })).toEqual(event);
  });

  it("StockReserved: every line of the order", () => {
    const event = emittedEvent(orderReservationDecider, [request], { type: "ConfirmReservation", data: { orderId } });
    expect(decodeIntegrationEvent("inventory.StockReserved.v1", wire(event))).toEqual({ orderId, lines: reservedLines });
    expect(decodeOrderReservationEvent({ type: event.type, data: wire(event) })).toEqual(event);
  });

  it("StockReservationRejected: the lines, the reason, the short products", () => {
    const event = emittedEvent(orderReservationDecider, [request], {
      type: "RejectReservation",
      data: { orderId, reason: "insufficient stock", shortProductIds: [plate] },
    });
    expect(decodeIntegrationEvent("inventory.StockReservationRejected.v1", wire(event))).toEqual({
      orderId,
      lines: reservedLines,
      reason: "insufficient stock",
      shortProductIds: [plate],
    });
    expect(decodeOrderReservationEvent({ type: event.type, data: wire(event) })).toEqual(event);
  });

  it("StockReleased", () => {
    const event = emittedEvent(orderReservationDecider, [request, { type: "ConfirmReservation", data: { orderId } }], {
      type: "ReleaseReservation",
      data: { orderId },
    });
    expect(decodeIntegrationEvent("inventory.StockReleased.v1", wire(event))).toEqual({ orderId, lines: reservedLines });
    expect(decodeOrderReservationEvent({ type: event.type, data: wire(event) })).toEqual(event);
  });
});

describe("inventory's own events", () => {
  it("are published as stored and decoded strictly: the holds and the reservation request", () => {
    const hold = emittedEvent(stockItemDecider, [{ type: "Restock", data: { productId: mug, quantity: 5 } }], {
      type: "ReserveStock",
      data: { productId: mug, orderId, quantity: 2 },
    });
    expect(wire(hold)).toEqual(hold.data);
    expect(decodeStockItemEvent({ type: hold.type, data: wire(hold) })).toEqual(hold);
    const requested = emittedEvent(orderReservationDecider, [], request);
    expect(decodeOrderReservationEvent({ type: requested.type, data: wire(requested) })).toEqual(requested);
  });

  it("refuses what does not decode, naming the field", () => {
    expect(refusedFields(() => decodeStockItemEvent({ type: "inventory.StockItemReserved.v1", data: { productId: mug, orderId } }))).toEqual(["quantity"]);
    expect(refusedFields(() => decodeStockItemEvent({ type: "inventory.StockItemReleased.v1", data: "x" }))).toEqual([
      "data",
      "productId",
      "orderId",
      "quantity",
    ]);
    expect(
      refusedFields(() =>
        decodeOrderReservationEvent({ type: "inventory.StockReservationRequested.v1", data: { orderId, lines: [{ productId: mug, quantity: "2" }] } }),
      ),
    ).toEqual(["lines[0].quantity"]);
    expect(refusedFields(() => decodeStockItemEvent({ type: "inventory.StockAdded.v1", data: { productId: mug, quantity: 1.5 } }))).toEqual(["quantity"]);
    expect(refusedFields(() => decodeOrderReservationEvent({ type: "inventory.StockAdded.v1", data: {} }))).toEqual(["type"]);
  });

  it("publishes an event it cannot map as stored, for consumers to refuse: a publication never blocks its stream", () => {
    expect(publishedInventoryBody({ type: "inventory.StockAdded.v1", data: { productId: mug, quantity: "many" } })).toEqual({
      productId: mug,
      quantity: "many",
    });
    expect(publishedInventoryBody({ type: "inventory.Recounted.v1", data: { n: 1 } })).toEqual({ n: 1 });
  });
});
