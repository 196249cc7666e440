import type { DomainEvent } from "@bazaar/core";

export interface Money {
  /** Integer minor units (cents). */
  amount: number;
  /** ISO 4217 code, upper case. */
  currency: string;
}

export interface ProductCreatedData {
  productId: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: Money;
  attributes: Record<string, string>;
}

export type ProductCreated = DomainEvent<"catalog.ProductCreated.v1", ProductCreatedData>;

export type ProductEvent = ProductCreated;
