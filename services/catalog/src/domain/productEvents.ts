import type { DomainEvent } from "@bazaar/core";

export interface Money {
  /** Integer minor units (cents). */
  amount: number;
  /** ISO 4217 code, upper case. */
  currency: string;
}

export interface ProductDetails {
  description: string;
  category: string;
  attributes: Record<string, string>;
}

export interface ProductCreatedData extends ProductDetails {
  productId: string;
  sku: string;
  name: string;
  price: Money;
}

export type ProductCreated = DomainEvent<"catalog.ProductCreated.v1", ProductCreatedData>;
export type ProductRenamed = DomainEvent<"catalog.ProductRenamed.v1", { productId: string; name: string; previousName: string }>;
export type ProductPriceChanged = DomainEvent<"catalog.ProductPriceChanged.v1", { productId: string; price: Money; previousPrice: Money }>;
export type ProductDetailsChanged = DomainEvent<"catalog.ProductDetailsChanged.v1", { productId: string } & ProductDetails>;
export type ProductDiscontinued = DomainEvent<"catalog.ProductDiscontinued.v1", { productId: string }>;

export type ProductEvent = ProductCreated | ProductRenamed | ProductPriceChanged | ProductDetailsChanged | ProductDiscontinued;
