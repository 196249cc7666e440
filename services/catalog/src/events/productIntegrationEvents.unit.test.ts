import { decodeIntegrationEvent } from "@bazaar/contracts/events";
import { emittedEvent, refusedFields } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import { createProduct } from "../../../../test/fixtures/productCommands.js";
import type { ProductCommand } from "../domain/productCommands.js";
import { productDecider } from "../domain/productDecider.js";
import type { ProductEvent } from "../domain/productEvents.js";
import { decodeProductEvent, publishedProductBody } from "./productIntegrationEvents.js";

const productId = createProduct().data.productId;

/** What the decider emits for `command` after `history`. */
const emitted = (history: ProductCommand[], command: ProductCommand): ProductEvent => emittedEvent(productDecider, history, command);

/** Over the wire: the published body as JSON text, parsed back by a consumer. */
const wire = (event: ProductEvent): unknown => JSON.parse(JSON.stringify(publishedProductBody(event)));

/** The consumer's generated decoder reads what the catalog meant, and the catalog reads its own event back unchanged. */
const roundTrips = (event: ProductEvent, asConsumersRead: unknown) => {
  expect(decodeIntegrationEvent(event.type, wire(event))).toEqual(asConsumersRead);
  expect(decodeProductEvent({ type: event.type, data: wire(event) })).toEqual(event);
  expect(decodeProductEvent({ type: event.type, data: JSON.parse(JSON.stringify(event.data)) })).toEqual(event);
};

describe("the catalog's integration events: what the decider emits, as other contexts decode it", () => {
  it("ProductCreated, also with empty details (left out of the JSON, read back as empty)", () => {
    roundTrips(emitted([], createProduct()), createProduct().data);
    const bare = emitted([], createProduct({ description: "", attributes: {} }));
    expect(wire(bare)).not.toHaveProperty("description");
    roundTrips(bare, { ...createProduct().data, description: "", attributes: {} });
  });

  it("ProductRenamed, with the name it had", () => {
    roundTrips(emitted([createProduct()], { type: "RenameProduct", data: { name: "Red mug" } }), { productId, name: "Red mug", previousName: "Blue mug" });
  });

  it("ProductPriceChanged, with the price it had", () => {
    const event = emitted([createProduct()], { type: "ChangeProductPrice", data: { price: { amount: 1499, currency: "EUR" } } });
    roundTrips(event, { productId, price: { amount: 1499, currency: "EUR" }, previousPrice: { amount: 1299, currency: "EUR" } });
  });

  it("ProductDetailsChanged", () => {
    const event = emitted([createProduct()], {
      type: "ChangeProductDetails",
      data: { description: "Porcelain", category: "table", attributes: { colour: "white", size: "L" } },
    });
    roundTrips(event, { productId, description: "Porcelain", category: "table", attributes: { colour: "white", size: "L" } });
  });

  it("ProductDiscontinued", () => {
    roundTrips(emitted([createProduct()], { type: "DiscontinueProduct" }), { productId });
  });
});

describe("the catalog's own decode", () => {
  it("refuses what does not decode or lacks a price, naming the field", () => {
    const created = wire(emitted([], createProduct())) as Record<string, unknown>;
    const field = (data: unknown, type: ProductEvent["type"] = "catalog.ProductCreated.v1") => refusedFields(() => decodeProductEvent({ type, data }));
    expect(field({ ...created, price: undefined })).toEqual(["price"]);
    expect(field({ ...created, price: { amount: "12.99", currency: "EUR" } })).toEqual(["price.amount"]);
    expect(field({ productId, price: { amount: 1, currency: "EUR" } }, "catalog.ProductPriceChanged.v1")).toEqual(["previousPrice"]);
    expect(field({ productId, name: ["x"] }, "catalog.ProductRenamed.v1")).toEqual(["name"]);
    expect(() => decodeProductEvent({ type: "catalog.ProductRestocked.v1", data: {} })).toThrow(/not a catalog event/);
  });
});
