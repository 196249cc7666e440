import type { DomainEvent } from "@bazaar/core";

export interface Money {
  amount: number;
  currency: string;
}

export type OrderFlow = "async" | "sync";

export interface OrderLine {
  productId: string;
  quantity: number;
  /** From ordering's product replica when placed; renames arrive as OrderProductRenamed. */
  productName: string;
  unitPrice: Money;
}

export type OrderPlaced = DomainEvent<
  "ordering.OrderPlaced.v1",
  { orderId: string; customerId: string; lines: OrderLine[]; flow: OrderFlow; placedAt: string }
>;
export type OrderConfirmed = DomainEvent<"ordering.OrderConfirmed.v1", { orderId: string }>;
export type OrderRejected = DomainEvent<"ordering.OrderRejected.v1", { orderId: string; reason: string }>;
export type OrderCancelled = DomainEvent<"ordering.OrderCancelled.v1", { orderId: string; reason: string }>;
export type OrderProductRenamed = DomainEvent<"ordering.OrderProductRenamed.v1", { orderId: string; productId: string; name: string; catalogVersion: number }>;

export type OrderEvent = OrderPlaced | OrderConfirmed | OrderRejected | OrderCancelled | OrderProductRenamed;
