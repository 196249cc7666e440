import type { EventEnvelope } from "@bazaar/core";
import type { DocumentProjection } from "@bazaar/projections";
import { isProductStream, productIdOfStream } from "../domain/productStream.js";
import { decodeProductEvent, isProductEventType } from "../events/productIntegrationEvents.js";

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
export const productSearchProjection: DocumentProjection<ProductDocument> = {
  name: "catalog-product-search",
  alias: "catalog-products",
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "1s" },
  mappings: {
    dynamic: "strict",
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
      updatedAt: { type: "date" },
    },
  },

  handlesStream: isProductStream,
  documentId: productIdOfStream,

  evolve(current, envelope: EventEnvelope) {
    const at = envelope.recordedAt.toISOString();
    // Stored (rebuild, gap repair) or published: one decode; a type this version does not know stays undecoded.
    const event = isProductEventType(envelope.type) ? decodeProductEvent(envelope) : undefined;
    if (event?.type === "catalog.ProductCreated.v1") return { ...event.data, status: "ACTIVE", createdAt: at, updatedAt: at };
    if (!current) throw new Error(`${envelope.type} arrived before ProductCreated for ${envelope.streamId}`);
    switch (event?.type) {
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
        // A type this version does not know: keep the document, advance its version.
        return { ...current, updatedAt: at };
    }
  },
};
