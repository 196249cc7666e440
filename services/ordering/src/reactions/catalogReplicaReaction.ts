import { decodeIntegrationEvent, requiredField } from "@bazaar/contracts/events";
import type { EventEnvelope } from "@bazaar/core";
import type { Reaction } from "@bazaar/service-kit";
import type { OrderService } from "../application/orderService.js";
import type { ProductReplica } from "../application/productReplica.js";

const productIdOf = (streamId: string) => streamId.replace(/^product-/, "");

/**
 * Keeps ordering's product replica current from the catalog's integration events (decoded with
 * the catalog's published contract, never its code), and carries renames into every order. An
 * event that does not decode, or lacks the price the replica keeps, is refused (ValidationError
 * naming the field) and dead-lettered by the reactor: never a price of 0.
 */
/** What the reaction writes through (their answers unused): the replica's columns and the orders' product names. */
export interface ReplicaWrites {
  replica: { [K in "created" | "priceChanged" | "discontinued"]: (...args: Parameters<ProductReplica[K]>) => Promise<unknown> };
  orders: { applyProductRename: (...args: Parameters<OrderService["applyProductRename"]>) => Promise<unknown> };
}

export const catalogReplicaReaction = (deps: ReplicaWrites): Reaction => ({
  name: "product-replica",
  source: "catalog",
  async handle(event: EventEnvelope) {
    const productId = productIdOf(event.streamId);
    const metadata = { ...event.metadata, causationId: event.eventId };
    switch (event.type) {
      case "catalog.ProductCreated.v1": {
        const created = decodeIntegrationEvent(event.type, event.data);
        const { amount, currency } = requiredField(created.price, "price");
        await deps.replica.created({ productId, name: created.name, price: { amount, currency } }, event.version);
        return;
      }
      case "catalog.ProductRenamed.v1":
        await deps.orders.applyProductRename(productId, decodeIntegrationEvent(event.type, event.data).name, event.version, metadata);
        return;
      case "catalog.ProductPriceChanged.v1": {
        const { amount, currency } = requiredField(decodeIntegrationEvent(event.type, event.data).price, "price");
        await deps.replica.priceChanged(productId, { amount, currency }, event.version);
        return;
      }
      case "catalog.ProductDiscontinued.v1":
        decodeIntegrationEvent(event.type, event.data);
        await deps.replica.discontinued(productId, event.version);
        return;
      default:
      // Details and future event types carry nothing the replica keeps.
    }
  },
});
