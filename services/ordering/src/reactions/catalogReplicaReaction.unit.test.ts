import { ValidationError, type EventEnvelope } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { catalogReplicaReaction, type ReplicaWrites } from "./catalogReplicaReaction.js";

const productId = "0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f";

/** Records what the reaction writes; scripted answers, no rules. */
const recording = () => {
  const calls: unknown[][] = [];
  const replica: ReplicaWrites["replica"] = {
    created: async (product, version) => void calls.push(["created", product, version]),
    priceChanged: async (id, price, version) => void calls.push(["priceChanged", id, price, version]),
    discontinued: async (id, version) => void calls.push(["discontinued", id, version]),
  };
  const orders: ReplicaWrites["orders"] = {
    applyProductRename: async (id, name, version) => void calls.push(["renamed", id, name, version]),
  };
  return { reaction: catalogReplicaReaction({ replica, orders }), calls };
};

const envelope = (type: string, version: number, data: unknown): EventEnvelope => ({
  eventId: `e-${version}`,
  type,
  // Whatever the catalog names its streams: the replica reads the product id from the data.
  streamId: `catalog-stream-${version}`,
  version,
  recordedAt: new Date(),
  data,
  metadata: { causationId: "c", correlationId: "corr", actor: "staff" },
});

describe("ordering's product replica, fed with the catalog's contract", () => {
  it("declares the events it handles: detail changes pass by without a checkpoint", () => {
    expect([...recording().reaction.handles].sort()).toEqual([
      "catalog.ProductCreated.v1",
      "catalog.ProductDiscontinued.v1",
      "catalog.ProductPriceChanged.v1",
      "catalog.ProductRenamed.v1",
    ]);
  });

  it("keeps name, price and status; carries renames to the orders", async () => {
    const { reaction, calls } = recording();
    await reaction.handle(envelope("catalog.ProductCreated.v1", 1, { productId, sku: "SKU-1", name: "Blue mug", price: { amount: "1299", currency: "EUR" } }));
    await reaction.handle(envelope("catalog.ProductRenamed.v1", 2, { productId, name: "Red mug", previousName: "Blue mug" }));
    await reaction.handle(
      envelope("catalog.ProductPriceChanged.v1", 3, { productId, price: { amount: 1499, currency: "EUR" }, previousPrice: { amount: 1299, currency: "EUR" } }),
    );
    await reaction.handle(envelope("catalog.ProductDetailsChanged.v1", 4, { productId, description: "Porcelain" }));
    await reaction.handle(envelope("catalog.ProductDiscontinued.v1", 5, { productId }));
    expect(calls).toEqual([
      ["created", { productId, name: "Blue mug", price: { amount: 1299, currency: "EUR" } }, 1],
      ["renamed", productId, "Red mug", 2],
      ["priceChanged", productId, { amount: 1499, currency: "EUR" }, 3],
      ["discontinued", productId, 5],
    ]);
  });

  it("refuses a product without a price (never a price of 0) or a body that does not decode, naming the field, and writes nothing", async () => {
    const { reaction, calls } = recording();
    for (const [event, field] of [
      [envelope("catalog.ProductCreated.v1", 1, { productId, sku: "SKU-1", name: "Blue mug" }), "price"],
      [envelope("catalog.ProductPriceChanged.v1", 3, { productId, previousPrice: { amount: 1299, currency: "EUR" } }), "price"],
      [envelope("catalog.ProductRenamed.v1", 2, { productId, name: 42 }), "name"],
      [envelope("catalog.ProductDiscontinued.v1", 5, { productId, why: "old" }), "why"],
      // The product comes from the data, never from the stream id: an event without it is refused.
      [envelope("catalog.ProductDiscontinued.v1", 5, {}), "productId"],
      [envelope("catalog.ProductRenamed.v1", 2, { name: "Navy mug" }), "productId"],
    ] as const) {
      const error = await reaction.handle(event).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).violations[0]?.field).toBe(field);
    }
    expect(calls).toEqual([]);
  });
});
