import { decodeIntegrationEvent, decodedEvent, encodeEvent, eventDecoder, publishedBody, requiredField } from "@bazaar/contracts/events";
import { assertNever } from "@bazaar/core";
import type { Money, ProductEvent } from "../domain/productEvents.js";

/**
 * The catalog's events and their published contract (`bazaar.catalog.v1` events.proto), both
 * ways, in this one place. The stored data already has the messages' shape, so the event store's
 * events and the published ones decode alike.
 */

const money = (value: { amount: number; currency: string } | undefined, field: string): Money => {
  const { amount, currency } = requiredField(value, field);
  return { amount, currency };
};

/** A product event from its message, decoded by the generated code; refused (ValidationError naming the field) when it does not decode. */
export const fromProductIntegrationEvent = (type: ProductEvent["type"], body: unknown): ProductEvent => {
  switch (type) {
    case "catalog.ProductCreated.v1": {
      const { productId, sku, name, description, category, price, attributes } = decodeIntegrationEvent(type, body);
      return { type, data: { productId, sku, name, description, category, price: money(price, "price"), attributes } };
    }
    case "catalog.ProductPriceChanged.v1": {
      const { productId, price, previousPrice } = decodeIntegrationEvent(type, body);
      return { type, data: { productId, price: money(price, "price"), previousPrice: money(previousPrice, "previousPrice") } };
    }
    case "catalog.ProductRenamed.v1":
    case "catalog.ProductDetailsChanged.v1":
    case "catalog.ProductDiscontinued.v1":
      return decodedEvent(type, body);
    default:
      return assertNever(type);
  }
};

/** The catalog's one typed decode of its own events, stored or published (its projector, its history). */
export const productEvents = eventDecoder<ProductEvent>(
  "a catalog event",
  [
    "catalog.ProductCreated.v1",
    "catalog.ProductRenamed.v1",
    "catalog.ProductPriceChanged.v1",
    "catalog.ProductDetailsChanged.v1",
    "catalog.ProductDiscontinued.v1",
  ],
  fromProductIntegrationEvent,
);

export const decodeProductEvent = productEvents.decode;

/** What the catalog publishes each stored event as: its message in proto3 JSON (every catalog event is public; see publishedBody for one it cannot map). */
export const publishedProductBody = publishedBody((envelope) => encodeEvent(decodeProductEvent(envelope)));
