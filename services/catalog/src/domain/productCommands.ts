import type { Money, ProductCreatedData, ProductDetails } from "./productEvents.js";

export type CreateProduct = { type: "CreateProduct"; data: ProductCreatedData };
export type RenameProduct = { type: "RenameProduct"; data: { name: string } };
export type ChangeProductPrice = { type: "ChangeProductPrice"; data: { price: Money } };
export type ChangeProductDetails = { type: "ChangeProductDetails"; data: ProductDetails };
export type DiscontinueProduct = { type: "DiscontinueProduct" };

export type ProductCommand = CreateProduct | RenameProduct | ChangeProductPrice | ChangeProductDetails | DiscontinueProduct;
