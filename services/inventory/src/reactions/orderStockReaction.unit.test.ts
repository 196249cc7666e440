import { ValidationError, type EventEnvelope } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import type { Inventory, ReservationOutcome } from "../application/reservations.js";
import { createOrderStockReaction } from "./orderStockReaction.js";

const orderId = "5a1c2b3d-0000-4000-8000-000000000001";
const mug = "5a1c2b3d-0000-4000-8000-00000000000a";

/** Records what the reaction asks of inventory; no rules of its own. */
const recordingInventory = () => {
  const calls: unknown[][] = [];
  const outcome: ReservationOutcome = { status: "reserved", reason: "", shortProductIds: [], position: { streamId: `reservation-${orderId}`, version: 2 } };
  const inventory: Pick<Inventory, "reserve" | "release"> = {
    reserve: async (id, lines) => (calls.push(["reserve", id, lines]), outcome),
    release: async (id) => (calls.push(["release", id]), outcome),
  };
  return { inventory, calls };
};

const envelope = (type: string, data: unknown): EventEnvelope => ({
  eventId: "e-1",
  type,
  streamId: `order-${orderId}`,
  version: 1,
  recordedAt: new Date(),
  data,
  metadata: { causationId: "c", correlationId: "corr", actor: "customer" },
});

const placed = (fields: Record<string, unknown>) =>
  envelope("ordering.OrderPlaced.v1", {
    orderId,
    customerId: "c-1",
    lines: [{ productId: mug, quantity: 2, productName: "Mug", unitPrice: { amount: 1299, currency: "EUR" } }],
    ...fields,
  });

describe("inventory's reaction to ordering's events, read with ordering's contract", () => {
  it("declares the events it handles: an order's renames and confirmations pass by without a checkpoint", () => {
    const reaction = createOrderStockReaction(recordingInventory().inventory);
    expect([...reaction.handles].sort()).toEqual(["ordering.OrderCancelled.v1", "ordering.OrderPlaced.v1"]);
  });

  it("reserves an async order's lines, leaves a sync one to the saga, releases a cancelled one", async () => {
    const { inventory, calls } = recordingInventory();
    const reaction = createOrderStockReaction(inventory);
    await reaction.handle(placed({ flow: "ORDER_FLOW_ASYNC" }));
    await reaction.handle(placed({ flow: "ORDER_FLOW_SYNC" }));
    await reaction.handle(placed({ flow: 1, lines: [{ productId: mug, quantity: "3" }] }));
    await reaction.handle(envelope("ordering.OrderCancelled.v1", { orderId, reason: "changed my mind" }));
    await reaction.handle(envelope("ordering.OrderConfirmed.v1", { orderId }));
    expect(calls).toEqual([
      ["reserve", orderId, [{ productId: mug, quantity: 2 }]],
      ["reserve", orderId, [{ productId: mug, quantity: 3 }]],
      ["release", orderId],
    ]);
  });

  it("refuses what does not decode (the reactor dead-letters it), naming the field, and asks nothing of inventory", async () => {
    const { inventory, calls } = recordingInventory();
    const reaction = createOrderStockReaction(inventory);
    const refusal = (event: EventEnvelope) =>
      reaction.handle(event).then(
        () => undefined,
        (error: unknown) => error,
      );
    for (const [event, field] of [
      [placed({ flow: "async" }), "flow"],
      [placed({}), "flow"],
      [placed({ flow: "ORDER_FLOW_ASYNC", lines: [{ productId: mug, quantity: "two" }] }), "lines[0].quantity"],
      [placed({ flow: "ORDER_FLOW_ASYNC", orderId: 7 }), "orderId"],
      [envelope("ordering.OrderCancelled.v1", { orderId, cancelledBy: "x" }), "cancelledBy"],
    ] as const) {
      const error = await refusal(event);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).violations[0]?.field).toBe(field);
    }
    expect(calls).toEqual([]);
  });
});
