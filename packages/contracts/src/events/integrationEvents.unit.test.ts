import { ValidationError } from "@bazaar/core";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { loadDescriptorSet } from "../descriptors.js";
import { OrderFlow } from "../gen/bazaar/ordering/v1/order.js";
import { decodeIntegrationEvent, encodeIntegrationEvent } from "./integrationEventJson.js";
import { integrationEventMessages, protoNameOf, type IntegrationEventType } from "./integrationEventMessages.js";

const refusal = (type: IntegrationEventType, body: unknown) => {
  try {
    decodeIntegrationEvent(type, body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).violations[0];
  }
  throw new Error(`${type} ${JSON.stringify(body)} decoded`);
};

describe("integration event contract", () => {
  it("has one entry per message of every events.proto, under the message's name", () => {
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, loadDescriptorSet()));
    const declared = [...registry.files].filter((f) => f.name.endsWith("/events")).flatMap((f) => f.messages.map((m) => m.typeName));
    expect(declared.length).toBeGreaterThan(10);
    expect(
      Object.keys(integrationEventMessages)
        .map((type) => protoNameOf(type as IntegrationEventType))
        .sort(),
    ).toEqual(declared.sort());
  });

  it("decodes the published body with the generated message, int64 as number or string", () => {
    const placed = decodeIntegrationEvent("ordering.OrderPlaced.v1", {
      orderId: "o-1",
      customerId: "c-1",
      lines: [{ productId: "p-1", quantity: "2", productName: "Mug", unitPrice: { amount: 1299, currency: "EUR" } }],
      flow: "ORDER_FLOW_ASYNC",
      placedAt: "2026-11-30T10:00:00.000Z",
    });
    expect(placed).toEqual({
      orderId: "o-1",
      customerId: "c-1",
      lines: [{ productId: "p-1", quantity: 2, productName: "Mug", unitPrice: { amount: 1299, currency: "EUR" } }],
      flow: OrderFlow.ORDER_FLOW_ASYNC,
      placedAt: "2026-11-30T10:00:00.000Z",
    });
  });

  it("round-trips what it encodes, defaults left out as proto3 JSON does", () => {
    const renamed = { orderId: "o-1", productId: "p-1", name: "Blue mug", catalogVersion: 3 };
    const body = JSON.parse(JSON.stringify(encodeIntegrationEvent("ordering.OrderProductRenamed.v1", renamed))) as unknown;
    expect(decodeIntegrationEvent("ordering.OrderProductRenamed.v1", body)).toEqual(renamed);
    expect(encodeIntegrationEvent("ordering.OrderRejected.v1", { orderId: "o-1", reason: "" })).toEqual({ orderId: "o-1" });
  });

  it("refuses what does not decode, naming the field", () => {
    expect(refusal("ordering.OrderPlaced.v1", { orderId: "o-1", flow: "async" })).toMatchObject({ field: "flow", message: expect.stringContaining('"async"') });
    expect(
      refusal("ordering.OrderPlaced.v1", {
        orderId: "o-1",
        lines: [
          { productId: "p", quantity: 1 },
          { productId: "p", quantity: "many" },
        ],
      }),
    ).toMatchObject({ field: "lines[1].quantity" });
    expect(refusal("ordering.OrderPlaced.v1", { orderId: 7 })).toMatchObject({ field: "orderId" });
    expect(refusal("ordering.OrderPlaced.v1", { orderId: "o-1", shippedBy: "x" })).toMatchObject({ field: "shippedBy" });
    expect(refusal("catalog.ProductCreated.v1", { productId: "p", price: { amount: "ten", currency: "EUR" } })).toMatchObject({ field: "price.amount" });
    expect(refusal("catalog.ProductCreated.v1", { productId: "p", attributes: { colour: 3 } })).toMatchObject({ field: "attributes" });
    expect(refusal("ordering.OrderCancelled.v1", "not an object")).toMatchObject({ field: "data" });
    expect(refusal("ordering.OrderCancelled.v1", null)).toMatchObject({ field: "data" });
  });
});
