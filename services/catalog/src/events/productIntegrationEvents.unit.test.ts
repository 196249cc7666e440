import { decodeIntegrationEvent } from "@bazaar/contracts/events";
import { fold, ValidationError } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import type { CreateProduct, ProductCommand } from "../domain/productCommands.js";
import { productDecider } from "../domain/productDecider.js";
import type { ProductEvent } from "../domain/productEvents.js";
import { decodeProductEvent, publishedProductBody } from "./productIntegrationEvents.js";

const productId = "0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f";
const create = (overrides: Partial<CreateProduct["data"]> = {}): CreateProduct => ({
  type: "CreateProduct",
  data: {
    productId,
    sku: "SKU-1",
    name: "Blue mug",
    description: "Stoneware, 350 ml",
    category: "kitchen",
    price: { amount: 1299, currency: "EUR" },
    attributes: { colour: "blue" },
    ...overrides,
  },
});

/** What the decider emits for `command` after `history`. */
const emitted = (history: ProductCommand[], command: ProductCommand): ProductEvent => {
  const events: ProductEvent[] = [];
  for (const earlier of history) events.push(...productDecider.decide(earlier, fold(productDecider, events)));
  const [event, ...more] = productDecider.decide(command, fold(productDecider, events));
  expect(more).toEqual([]);
  return event!;
};

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
    roundTrips(emitted([], create()), create().data);
    const bare = emitted([], create({ description: "", attributes: {} }));
    expect(wire(bare)).not.toHaveProperty("description");
    roundTrips(bare, { ...create().data, description: "", attributes: {} });
  });

  it("ProductRenamed, with the name it had", () => {
    roundTrips(emitted([create()], { type: "RenameProduct", data: { name: "Red mug" } }), { productId, name: "Red mug", previousName: "Blue mug" });
  });

  it("ProductPriceChanged, with the price it had", () => {
    const event = emitted([create()], { type: "ChangeProductPrice", data: { price: { amount: 1499, currency: "EUR" } } });
    roundTrips(event, { productId, price: { amount: 1499, currency: "EUR" }, previousPrice: { amount: 1299, currency: "EUR" } });
  });

  it("ProductDetailsChanged", () => {
    const event = emitted([create()], {
      type: "ChangeProductDetails",
      data: { description: "Porcelain", category: "table", attributes: { colour: "white", size: "L" } },
    });
    roundTrips(event, { productId, description: "Porcelain", category: "table", attributes: { colour: "white", size: "L" } });
  });

  it("ProductDiscontinued", () => {
    roundTrips(emitted([create()], { type: "DiscontinueProduct" }), { productId });
  });
});

describe("the catalog's own decode", () => {
  it("refuses what does not decode or lacks a price, naming the field", () => {
    const created = wire(emitted([], create())) as Record<string, unknown>;
    const field = (data: unknown, type: ProductEvent["type"] = "catalog.ProductCreated.v1") => {
      try {
        decodeProductEvent({ type, data });
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).violations[0]?.field;
      }
      return "decoded";
    };
    expect(field({ ...created, price: undefined })).toBe("price");
    expect(field({ ...created, price: { amount: "12.99", currency: "EUR" } })).toBe("price.amount");
    expect(field({ productId, price: { amount: 1, currency: "EUR" } }, "catalog.ProductPriceChanged.v1")).toBe("previousPrice");
    expect(field({ productId, name: ["x"] }, "catalog.ProductRenamed.v1")).toBe("name");
    expect(() => decodeProductEvent({ type: "catalog.ProductRestocked.v1", data: {} })).toThrow(/not a catalog event/);
  });
});
