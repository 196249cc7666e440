import {
  CatalogQueryServiceService,
  ProductStatus,
  type CatalogQueryServiceServer,
  type GetProductRequest,
  type Product,
  type SearchProductsRequest,
} from "@bazaar/contracts/catalog/v1";
import { unary, type GrpcService, type Logger } from "@bazaar/runtime";
import type { ProductQueries, ProductView } from "../query/productQueries.js";

const toProduct = (view: ProductView): Product => ({
  productId: view.productId,
  sku: view.sku,
  name: view.name,
  description: view.description,
  category: view.category,
  price: view.price,
  attributes: view.attributes,
  status: view.status === "ACTIVE" ? ProductStatus.PRODUCT_STATUS_ACTIVE : ProductStatus.PRODUCT_STATUS_DISCONTINUED,
  version: view.version,
});

/** The catalog's read API over gRPC, answered from the search model. */
export const createCatalogQueryService = (deps: { queries: ProductQueries; logger: Logger }): GrpcService => {
  const implementation: CatalogQueryServiceServer = {
    getProduct: unary(deps.logger, async (request: GetProductRequest) => ({
      product: toProduct(await deps.queries.get(request.productId)),
    })),
    searchProducts: unary(deps.logger, async (request: SearchProductsRequest) => {
      const result = await deps.queries.search({ text: request.query, limit: request.limit });
      return { items: result.items.map(toProduct), total: result.total };
    }),
  };
  return { name: "bazaar.catalog.v1.CatalogQueryService", definition: CatalogQueryServiceService, implementation };
};
