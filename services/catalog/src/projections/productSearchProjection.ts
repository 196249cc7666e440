import { assertNever } from "@bazaar/core";
import { eventDocumentProjection } from "@bazaar/projections";
import { isProductStream, productIdOfStream } from "../domain/productStream.js";
import type { ProductEvent } from "../domain/productEvents.js";
import { productEvents } from "../events/productIntegrationEvents.js";

/** A product as the search model stores it. */
export interface ProductDocument {
  productId: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: { amount: number; currency: string };
  attributes: Record<string, string>;
  status: "ACTIVE" | "DISCONTINUED";
  createdAt: string;
  updatedAt: string;
}

/** The product search model: full text on name and description, filters on the rest. */
export const productSearchProjection = eventDocumentProjection<ProductDocument, ProductEvent, "catalog.ProductCreated.v1">({
  name: "catalog-product-search",
  alias: "catalog-products",
  properties: {
    productId: { type: "keyword" },
    sku: { type: "keyword" },
    name: { type: "text", analyzer: "standard", fields: { keyword: { type: "keyword", ignore_above: 256 } } },
    description: { type: "text", analyzer: "standard" },
    category: { type: "keyword" },
    price: { properties: { amount: { type: "long" }, currency: { type: "keyword" } } },
    // Free-form key/values: kept in _source, not indexed (an open key set would bloat the mapping).
    attributes: { type: "object", enabled: false },
    status: { type: "keyword" },
    createdAt: { type: "date" },
  },
  handlesStream: isProductStream,
  documentId: productIdOfStream,
  decodeKnown: productEvents.decodeKnown,
  first: { type: "catalog.ProductCreated.v1", document: (event, at) => ({ ...event.data, status: "ACTIVE", createdAt: at, updatedAt: at }) },
  apply(current, event, at) {
    switch (event.type) {
      case "catalog.ProductRenamed.v1":
        return { ...current, name: event.data.name, updatedAt: at };
      case "catalog.ProductPriceChanged.v1":
        return { ...current, price: event.data.price, updatedAt: at };
      case "catalog.ProductDetailsChanged.v1": {
        const { description, category, attributes } = event.data;
        return { ...current, description, category, attributes, updatedAt: at };
      }
      case "catalog.ProductDiscontinued.v1":
        return { ...current, status: "DISCONTINUED", updatedAt: at };
      default:
        return assertNever(event);
    }
  },
});
