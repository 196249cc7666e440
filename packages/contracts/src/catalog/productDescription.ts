import type { Product } from "../gen/bazaar/catalog/v1/product.js";

type DescriptionField = "sku" | "name" | "description" | "category" | "price" | "attributes";

/**
 * What describes a product, field for field the same in the catalog's domain, its `Product`
 * message, ordering's `ProductDetails` and the REST resource: each boundary copies these and
 * names its id, status and version its own way.
 */
export const productDescription = <P extends Pick<Product, DescriptionField>>(product: P): Pick<P, DescriptionField> => ({
  sku: product.sku,
  name: product.name,
  description: product.description,
  category: product.category,
  price: product.price,
  attributes: product.attributes,
});
