import { assertNever } from "@bazaar/core";
import { eventDocumentProjection } from "@bazaar/projections";
import type { StockItemEvent } from "../domain/stockItemEvents.js";
import { isStockStream, productIdOfStream } from "../domain/streams.js";
import { stockItemEvents } from "../events/inventoryIntegrationEvents.js";

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

/** Stock levels: one document per product, built from the stock item streams only; a stream starts at nothing on hand. */
export const stockLevelProjection = eventDocumentProjection<StockLevelDocument, StockItemEvent>({
  name: "inventory-stock-level",
  alias: "inventory-stock-levels",
  properties: { productId: { type: "keyword" }, onHand: { type: "long" }, reserved: { type: "long" }, available: { type: "long" } },
  handlesStream: isStockStream,
  documentId: productIdOfStream,
  decodeKnown: stockItemEvents.decodeKnown,
  empty: (streamId, at) => level(productIdOfStream(streamId), 0, 0, at),
  apply({ productId, onHand, reserved }, event, at) {
    switch (event.type) {
      case "inventory.StockAdded.v1":
        return level(productId, onHand + event.data.quantity, reserved, at);
      case "inventory.StockItemReserved.v1":
        return level(productId, onHand, reserved + event.data.quantity, at);
      case "inventory.StockItemReleased.v1":
        return level(productId, onHand, reserved - event.data.quantity, at);
      default:
        return assertNever(event);
    }
  },
});
