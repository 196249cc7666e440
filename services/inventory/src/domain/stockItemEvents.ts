import type { DomainEvent } from "@bazaar/core";

export interface StockAddedData {
  productId: string;
  quantity: number;
}

/** One order's hold on some of a product's stock. */
export interface StockItemReservationData {
  productId: string;
  orderId: string;
  quantity: number;
}

export type StockAdded = DomainEvent<"inventory.StockAdded.v1", StockAddedData>;
export type StockItemReserved = DomainEvent<"inventory.StockItemReserved.v1", StockItemReservationData>;
export type StockItemReleased = DomainEvent<"inventory.StockItemReleased.v1", StockItemReservationData>;

export type StockItemEvent = StockAdded | StockItemReserved | StockItemReleased;
