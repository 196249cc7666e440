import { decodeIntegrationEvent, requiredField } from "@bazaar/contracts/events";
import { ValidationError } from "@bazaar/core";
import { reactionTo, type Reaction } from "@bazaar/service-kit";
import type { OrderService } from "../application/orderService.js";
import type { ProductReplica } from "../application/productReplica.js";
import { causedBy } from "./causedBy.js";

/** The product an event is about, from its data: proto3 leaves an unset id empty, which is refused. */
const productIdOf = (data: { productId: string }): string => {
  if (data.productId === "") throw new ValidationError([{ field: "productId", message: "is required" }]);
  return data.productId;
};

/** What the reaction writes through (their answers unused): the replica's columns and the orders' product names. */
export interface ReplicaWrites {
  replica: { [K in "created" | "priceChanged" | "discontinued"]: (...args: Parameters<ProductReplica[K]>) => Promise<unknown> };
  orders: { applyProductRename: (...args: Parameters<OrderService["applyProductRename"]>) => Promise<unknown> };
}

/**
 * Keeps ordering's product replica current from the catalog's integration events (decoded with
 * the catalog's published contract, never its code), and carries renames into every order. An
 * event that does not decode, or lacks the price the replica keeps, is refused (ValidationError
 * naming the field) and dead-lettered by the reactor: never a price of 0.
 * The product is named by the event's data (the catalog's contract), never by its stream id;
 * details and future event types carry nothing the replica keeps: they pass by.
 */
export const catalogReplicaReaction = (deps: ReplicaWrites): Reaction =>
  reactionTo({
    name: "product-replica",
    source: "catalog",
    on: {
      async "catalog.ProductCreated.v1"(event) {
        const created = decodeIntegrationEvent("catalog.ProductCreated.v1", event.data);
        const { amount, currency } = requiredField(created.price, "price");
        await deps.replica.created({ productId: productIdOf(created), name: created.name, price: { amount, currency } }, event.version);
      },
      async "catalog.ProductRenamed.v1"(event) {
        const renamed = decodeIntegrationEvent("catalog.ProductRenamed.v1", event.data);
        await deps.orders.applyProductRename(productIdOf(renamed), renamed.name, event.version, causedBy(event));
      },
      async "catalog.ProductPriceChanged.v1"(event) {
        const changed = decodeIntegrationEvent("catalog.ProductPriceChanged.v1", event.data);
        const { amount, currency } = requiredField(changed.price, "price");
        await deps.replica.priceChanged(productIdOf(changed), { amount, currency }, event.version);
      },
      async "catalog.ProductDiscontinued.v1"(event) {
        await deps.replica.discontinued(productIdOf(decodeIntegrationEvent("catalog.ProductDiscontinued.v1", event.data)), event.version);
      },
    },
  });
