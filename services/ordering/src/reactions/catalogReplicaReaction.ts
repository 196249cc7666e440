import { ProductCreated, ProductPriceChanged, ProductRenamed } from "@bazaar/contracts/catalog/v1";
import type { EventEnvelope } from "@bazaar/core";
import type { Reaction } from "@bazaar/service-kit";
import type { OrderService } from "../application/orderService.js";
import type { ProductReplica } from "../application/productReplica.js";

const productIdOf = (streamId: string) => streamId.replace(/^product-/, "");

/**
 * Keeps ordering's product replica current from the catalog's integration events (decoded with
 * the catalog's published contract, never its code), and carries renames into every order.
 */
export const catalogReplicaReaction = (deps: { replica: ProductReplica; orders: OrderService }): Reaction => ({
  name: "product-replica",
  source: "catalog",
  async handle(event: EventEnvelope) {
    const productId = productIdOf(event.streamId);
    const metadata = { ...event.metadata, causationId: event.eventId };
    switch (event.type) {
      case "catalog.ProductCreated.v1": {
        const created = ProductCreated.fromJSON(event.data);
        await deps.replica.created({ productId, name: created.name, price: { amount: created.price?.amount ?? 0, currency: created.price?.currency ?? "" } }, event.version);
        return;
      }
      case "catalog.ProductRenamed.v1":
        await deps.orders.applyProductRename(productId, ProductRenamed.fromJSON(event.data).name, event.version, metadata);
        return;
      case "catalog.ProductPriceChanged.v1": {
        const price = ProductPriceChanged.fromJSON(event.data).price;
        if (price) await deps.replica.priceChanged(productId, { amount: price.amount, currency: price.currency }, event.version);
        return;
      }
      case "catalog.ProductDiscontinued.v1":
        await deps.replica.discontinued(productId, event.version);
        return;
      default:
      // Details and future event types carry nothing the replica keeps.
    }
  },
});
