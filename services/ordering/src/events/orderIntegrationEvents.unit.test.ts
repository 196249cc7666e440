import { decodeIntegrationEvent } from "@bazaar/contracts/events";
import { OrderFlow } from "@bazaar/contracts/ordering/v1";
import { ValidationError } from "@bazaar/core";
import { emittedEvents } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import type { OrderCommand } from "../domain/orderCommands.js";
import { orderDecider } from "../domain/orderDecider.js";
import type { OrderEvent } from "../domain/orderEvents.js";
import { decodeOrderEvent, publishedOrderBody, toOrderIntegrationEvent } from "./orderIntegrationEvents.js";

const orderId = "5a1c2b3d-0000-4000-8000-000000000001";
const mug = "5a1c2b3d-0000-4000-8000-00000000000a";
const plate = "5a1c2b3d-0000-4000-8000-00000000000b";
const place = (flow: "async" | "sync"): OrderCommand => ({
  type: "PlaceOrder",
  data: {
    orderId,
    customerId: "5a1c2b3d-0000-4000-8000-0000000000c1",
    lines: [
      { productId: mug, quantity: 2, productName: "Blue mug", unitPrice: { amount: 1299, currency: "EUR" } },
      { productId: plate, quantity: 1, productName: "", unitPrice: { amount: 0, currency: "EUR" } },
    ],
    flow,
    placedAt: "2026-11-26T10:00:00.000Z",
  },
});

/** What the decider emits for `command` after `history`: the events the contract must carry. */
const emitted = (history: OrderCommand[], command: OrderCommand): OrderEvent[] => emittedEvents(orderDecider, history, command);

/** Over the wire: the published body as JSON text, parsed back by a consumer. */
const wire = (event: OrderEvent): unknown => JSON.parse(JSON.stringify(publishedOrderBody({ type: event.type, data: event.data })));

const one = (events: OrderEvent[]): OrderEvent => {
  expect(events).toHaveLength(1);
  return events[0]!;
};

describe("ordering's integration events: what the decider emits, as other contexts decode it", () => {
  it("OrderPlaced: the flow by its enum, every line with its price, the time it was placed", () => {
    for (const flow of ["async", "sync"] as const) {
      const event = one(emitted([], place(flow)));
      const decoded = decodeIntegrationEvent("ordering.OrderPlaced.v1", wire(event));
      expect(decoded).toEqual({
        orderId,
        customerId: "5a1c2b3d-0000-4000-8000-0000000000c1",
        lines: [
          { productId: mug, quantity: 2, productName: "Blue mug", unitPrice: { amount: 1299, currency: "EUR" } },
          { productId: plate, quantity: 1, productName: "", unitPrice: { amount: 0, currency: "EUR" } },
        ],
        flow: flow === "async" ? OrderFlow.ORDER_FLOW_ASYNC : OrderFlow.ORDER_FLOW_SYNC,
        placedAt: "2026-11-26T10:00:00.000Z",
      });
      expect(wire(event)).toMatchObject({ flow: flow === "async" ? "ORDER_FLOW_ASYNC" : "ORDER_FLOW_SYNC" });
      expect(decodeOrderEvent({ type: event.type, data: wire(event) })).toEqual(event);
    }
  });

  it("OrderConfirmed", () => {
    const event = one(
      emitted([place("async")], {
        type: "ConfirmOrder",
        data: {
          reservedLines: [
            { productId: mug, quantity: 2 },
            { productId: plate, quantity: 1 },
          ],
        },
      }),
    );
    expect(decodeIntegrationEvent("ordering.OrderConfirmed.v1", wire(event))).toEqual({ orderId });
    expect(decodeOrderEvent({ type: event.type, data: wire(event) })).toEqual(event);
  });

  it("OrderRejected", () => {
    const event = one(emitted([place("async")], { type: "RejectOrder", data: { reason: "insufficient stock" } }));
    expect(decodeIntegrationEvent("ordering.OrderRejected.v1", wire(event))).toEqual({ orderId, reason: "insufficient stock" });
    expect(decodeOrderEvent({ type: event.type, data: wire(event) })).toEqual(event);
  });

  it("OrderCancelled, also without a reason", () => {
    for (const reason of ["changed my mind", ""]) {
      const event = one(emitted([place("async")], { type: "CancelOrder", data: { reason } }));
      expect(decodeIntegrationEvent("ordering.OrderCancelled.v1", wire(event))).toEqual({ orderId, reason });
      expect(decodeOrderEvent({ type: event.type, data: wire(event) })).toEqual(event);
    }
  });

  it("OrderProductRenamed, with the catalog version of the rename", () => {
    const event = one(emitted([place("async")], { type: "RenameOrderProduct", data: { productId: mug, name: "Green mug", catalogVersion: 4 } }));
    expect(decodeIntegrationEvent("ordering.OrderProductRenamed.v1", wire(event))).toEqual({ orderId, productId: mug, name: "Green mug", catalogVersion: 4 });
    expect(decodeOrderEvent({ type: event.type, data: wire(event) })).toEqual(event);
  });

  it("every event type the decider knows has a message", () => {
    const types: OrderEvent["type"][] = [
      "ordering.OrderPlaced.v1",
      "ordering.OrderConfirmed.v1",
      "ordering.OrderRejected.v1",
      "ordering.OrderCancelled.v1",
      "ordering.OrderProductRenamed.v1",
    ];
    const samples: Record<OrderEvent["type"], OrderEvent> = {
      "ordering.OrderPlaced.v1": one(emitted([], place("async"))),
      "ordering.OrderConfirmed.v1": { type: "ordering.OrderConfirmed.v1", data: { orderId } },
      "ordering.OrderRejected.v1": { type: "ordering.OrderRejected.v1", data: { orderId, reason: "r" } },
      "ordering.OrderCancelled.v1": { type: "ordering.OrderCancelled.v1", data: { orderId, reason: "r" } },
      "ordering.OrderProductRenamed.v1": { type: "ordering.OrderProductRenamed.v1", data: { orderId, productId: mug, name: "n", catalogVersion: 2 } },
    };
    for (const type of types) expect(decodeIntegrationEvent(type, toOrderIntegrationEvent(samples[type]))).toMatchObject({ orderId });
  });
});

describe("ordering's own decode", () => {
  it("reads OrderPlaced as the event store holds it (flow in the domain's words) to the same event", () => {
    const event = one(emitted([], place("sync")));
    const stored = JSON.parse(JSON.stringify(event.data)) as unknown;
    expect(stored).toMatchObject({ flow: "sync" });
    expect(decodeOrderEvent({ type: event.type, data: stored })).toEqual(event);
  });

  it("refuses what does not decode, naming the field, and events that are not ordering's", () => {
    const placed = wire(one(emitted([], place("async")))) as Record<string, unknown>;
    expect(() => decodeOrderEvent({ type: "ordering.OrderPlaced.v1", data: { ...placed, flow: "ORDER_FLOW_UNSPECIFIED" } })).toThrow(/flow/);
    expect(() => decodeOrderEvent({ type: "ordering.OrderPlaced.v1", data: { ...placed, lines: [{ productId: mug, quantity: 1 }] } })).toThrow(
      /lines\[0\]\.unitPrice/,
    );
    expect(() => decodeOrderEvent({ type: "ordering.OrderConfirmed.v1", data: { orderId: 42 } })).toThrow(ValidationError);
    expect(() => decodeOrderEvent({ type: "inventory.StockAdded.v1", data: {} })).toThrow(/not an ordering event/);
  });

  it("the consumer's decoder refuses the stored spelling: only the contract crosses the boundary", () => {
    const stored = JSON.parse(JSON.stringify(one(emitted([], place("async"))).data)) as unknown;
    expect(() => decodeIntegrationEvent("ordering.OrderPlaced.v1", stored)).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ field: "flow" })] }),
    );
  });
});
