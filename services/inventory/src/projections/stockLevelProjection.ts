import type { EventEnvelope } from "@bazaar/core";
import type { DocumentProjection } from "@bazaar/projections";
import { isStockStream, productIdOfStream } from "../domain/streams.js";
import { decodeStockItemEvent, isStockItemEventType } from "../events/inventoryIntegrationEvents.js";

/** One product's stock as the read side stores it. */
export interface StockLevelDocument {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  updatedAt: string;
}

const level = (productId: string, onHand: number, reserved: number, at: string): StockLevelDocument => ({
  productId,
  onHand,
  reserved,
  available: onHand - reserved,
  updatedAt: at,
});

/** Stock levels: one document per product, built from the stock item streams only. */
export const stockLevelProjection: DocumentProjection<StockLevelDocument> = {
  name: "inventory-stock-level",
  alias: "inventory-stock-levels",
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "1s" },
  mappings: {
    dynamic: "strict",
    properties: {
      productId: { type: "keyword" },
      onHand: { type: "long" },
      reserved: { type: "long" },
      available: { type: "long" },
      updatedAt: { type: "date" },
    },
  },

  handlesStream: isStockStream,
  documentId: productIdOfStream,

  evolve(current, envelope: EventEnvelope) {
    const at = envelope.recordedAt.toISOString();
    const productId = productIdOfStream(envelope.streamId);
    const { onHand, reserved } = current ?? { onHand: 0, reserved: 0 };
    // Stored (rebuild, gap repair) or published: one decode; a type this version does not know stays undecoded.
    const event = isStockItemEventType(envelope.type) ? decodeStockItemEvent(envelope) : undefined;
    switch (event?.type) {
      case "inventory.StockAdded.v1":
        return level(productId, onHand + event.data.quantity, reserved, at);
      case "inventory.StockItemReserved.v1":
        return level(productId, onHand, reserved + event.data.quantity, at);
      case "inventory.StockItemReleased.v1":
        return level(productId, onHand, reserved - event.data.quantity, at);
      default:
        // An event type this version does not know yet: keep the levels, advance the version.
        return level(productId, onHand, reserved, at);
    }
  },
};
