import type { ProductCreatedData } from "./productEvents.js";

export interface CreateProduct {
  type: "CreateProduct";
  data: ProductCreatedData;
}

export type ProductCommand = CreateProduct;
