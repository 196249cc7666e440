import { ValidationError, type EventEnvelope } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import type { OrderPlaced } from "../domain/orderEvents.js";
import { publishedOrderBody } from "../events/orderIntegrationEvents.js";
import { orderViewProjection } from "./orderViewProjection.js";

const orderId = "5a1c2b3d-0000-4000-8000-000000000001";
const placed: OrderPlaced = {
  type: "ordering.OrderPlaced.v1",
  data: {
    orderId,
    customerId: "5a1c2b3d-0000-4000-8000-0000000000c1",
    lines: [{ productId: "5a1c2b3d-0000-4000-8000-00000000000a", quantity: 2, productName: "Blue mug", unitPrice: { amount: 1299, currency: "EUR" } }],
    flow: "async",
    placedAt: "2026-11-26T10:00:00.000Z",
  },
};
const envelope = (data: unknown, version = 1, type: string = placed.type): EventEnvelope => ({
  eventId: `e-${version}`,
  type,
  streamId: `order-${orderId}`,
  version,
  recordedAt: new Date("2026-11-26T10:00:01.000Z"),
  data,
  metadata: { causationId: "c", correlationId: "r", actor: "customer" },
});

describe("the order view reads ordering's events as stored and as published", () => {
  it("builds the same document from the stored OrderPlaced (rebuild, gap repair) and the published one", () => {
    const fromStored = orderViewProjection.evolve(undefined, envelope(JSON.parse(JSON.stringify(placed.data))));
    const fromPublished = orderViewProjection.evolve(undefined, envelope(JSON.parse(JSON.stringify(publishedOrderBody(placed)))));
    expect(fromPublished).toEqual(fromStored);
    expect(fromStored).toMatchObject({ orderId, flow: "async", status: "PENDING", total: { amount: 2598, currency: "EUR" }, placedAt: placed.data.placedAt });
    const cancelled = { orderId, reason: "changed my mind" };
    expect(orderViewProjection.evolve(fromStored, envelope(cancelled, 2, "ordering.OrderCancelled.v1"))).toMatchObject({
      status: "CANCELLED",
      reason: "changed my mind",
    });
  });

  it("throws for what does not decode, naming the field: the projector dead-letters it with that reason", () => {
    expect(() => orderViewProjection.evolve(undefined, envelope({ ...placed.data, flow: "ORDER_FLOW_TELEPORT" }))).toThrow(ValidationError);
    expect(() => orderViewProjection.evolve(undefined, envelope({ ...placed.data, flow: "ORDER_FLOW_TELEPORT" }))).toThrow(/^flow: /);
  });
});
