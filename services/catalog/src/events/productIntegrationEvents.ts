import { decodeIntegrationEvent, encodeIntegrationEvent, publishedBody, requiredField } from "@bazaar/contracts/events";
import { assertNever, ValidationError, type EventEnvelope } from "@bazaar/core";
import type { Money, ProductEvent } from "../domain/productEvents.js";

/**
 * The catalog's events and their published contract (`bazaar.catalog.v1` events.proto), both
 * ways, in this one place. The stored data already has the messages' shape, so the event store's
 * events and the published ones decode alike.
 */

/** The published body of a product event: its message in proto3 JSON. */
export const toProductIntegrationEvent = (event: ProductEvent): Record<string, unknown> => {
  switch (event.type) {
    case "catalog.ProductCreated.v1":
      return encodeIntegrationEvent(event.type, event.data);
    case "catalog.ProductRenamed.v1":
      return encodeIntegrationEvent(event.type, event.data);
    case "catalog.ProductPriceChanged.v1":
      return encodeIntegrationEvent(event.type, event.data);
    case "catalog.ProductDetailsChanged.v1":
      return encodeIntegrationEvent(event.type, event.data);
    case "catalog.ProductDiscontinued.v1":
      return encodeIntegrationEvent(event.type, event.data);
    default:
      return assertNever(event);
  }
};

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
    case "catalog.ProductRenamed.v1":
      return { type, data: decodeIntegrationEvent(type, body) };
    case "catalog.ProductPriceChanged.v1": {
      const { productId, price, previousPrice } = decodeIntegrationEvent(type, body);
      return { type, data: { productId, price: money(price, "price"), previousPrice: money(previousPrice, "previousPrice") } };
    }
    case "catalog.ProductDetailsChanged.v1":
      return { type, data: decodeIntegrationEvent(type, body) };
    case "catalog.ProductDiscontinued.v1":
      return { type, data: decodeIntegrationEvent(type, body) };
    default:
      return assertNever(type);
  }
};

const productEventTypes: ReadonlySet<string> = new Set<ProductEvent["type"]>([
  "catalog.ProductCreated.v1",
  "catalog.ProductRenamed.v1",
  "catalog.ProductPriceChanged.v1",
  "catalog.ProductDetailsChanged.v1",
  "catalog.ProductDiscontinued.v1",
]);

export const isProductEventType = (type: string): type is ProductEvent["type"] => productEventTypes.has(type);

/** The catalog's one typed decode of its own events, stored or published (its projector, its history). */
export const decodeProductEvent = (envelope: Pick<EventEnvelope, "type" | "data">): ProductEvent => {
  if (!isProductEventType(envelope.type)) throw new ValidationError([{ field: "type", message: `${envelope.type} is not a catalog event` }]);
  return fromProductIntegrationEvent(envelope.type, envelope.data);
};

/** What the catalog publishes each stored event as (every catalog event is public; see publishedBody for one it cannot map). */
export const publishedProductBody = publishedBody((envelope) => toProductIntegrationEvent(decodeProductEvent(envelope)));
