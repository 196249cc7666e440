import { ValidationError } from "@bazaar/core";
import { CatalogQueryServiceService, ProductSort, ProductStatus, type CatalogQueryServiceServer, type Product } from "@bazaar/contracts/catalog/v1";
import { consistencyFor } from "@bazaar/projections";
import { unary, type GrpcService, type Logger } from "@bazaar/runtime";
import { productStreamId } from "../domain/productStream.js";
import type { ProductQueries, ProductSort as Sort, ProductView } from "../query/productQueries.js";

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

const SORTS: Partial<Record<ProductSort, Sort>> = {
  [ProductSort.PRODUCT_SORT_RELEVANCE]: "relevance",
  [ProductSort.PRODUCT_SORT_NAME]: "name",
  [ProductSort.PRODUCT_SORT_PRICE_ASC]: "price-asc",
  [ProductSort.PRODUCT_SORT_PRICE_DESC]: "price-desc",
  [ProductSort.PRODUCT_SORT_NEWEST]: "newest",
};

const STATUSES: Partial<Record<ProductStatus, ProductView["status"]>> = {
  [ProductStatus.PRODUCT_STATUS_ACTIVE]: "ACTIVE",
  [ProductStatus.PRODUCT_STATUS_DISCONTINUED]: "DISCONTINUED",
};

const positive = (value: number, field: string): number | undefined => {
  if (value < 0) throw new ValidationError([{ field, message: "must not be negative" }]);
  return value > 0 ? value : undefined;
};

/** The catalog's read API over gRPC, answered from the search model. */
export const createCatalogQueryService = (deps: { queries: ProductQueries; logger: Logger }): GrpcService => {
  const implementation: CatalogQueryServiceServer = {
    getProduct: unary(deps.logger, async (request, _metadata, { signal }) => {
      const stale = await deps.queries.isStale(
        request.productId,
        consistencyFor(productStreamId(request.productId.toLowerCase()), request.consistency),
        signal,
      );
      return { product: toProduct(await deps.queries.get(request.productId, signal)), stale };
    }),
    getProductDetails: unary(deps.logger, async (request, _metadata, { signal }) => ({
      product: toProduct(await deps.queries.get(request.productId, signal)),
    })),
    searchProducts: unary(deps.logger, async (request, _metadata, { signal }) => {
      const result = await deps.queries.search(
        {
          text: request.query,
          category: request.category || undefined,
          minPrice: positive(request.minPrice, "minPrice"),
          maxPrice: positive(request.maxPrice, "maxPrice"),
          status: STATUSES[request.status],
          sort: SORTS[request.sort],
          limit: request.limit,
          cursor: request.cursor || undefined,
        },
        signal,
      );
      return {
        items: result.items.map(toProduct),
        total: result.total,
        categories: result.categories,
        statuses: result.statuses,
        priceRanges: result.priceRanges.map((r) => ({ key: r.key, from: r.from ?? 0, to: r.to ?? 0, count: r.count })),
        nextCursor: result.nextCursor ?? "",
      };
    }),
  };
  return { name: "bazaar.catalog.v1.CatalogQueryService", definition: CatalogQueryServiceService, implementation };
};
