import {
  CatalogCommandServiceClient,
  CatalogQueryServiceClient,
  type CreateProductRequest,
  type CreateProductResponse,
  type GetProductResponse,
  type SearchProductsRequest,
  type SearchProductsResponse,
} from "@bazaar/contracts/catalog/v1";
import { callUnary } from "@bazaar/runtime";
import { credentials, type Metadata } from "@grpc/grpc-js";

/** The gateway's view of the catalog: typed calls with a deadline, typed errors back. */
export interface CatalogClient {
  createProduct(request: CreateProductRequest, metadata: Metadata): Promise<CreateProductResponse>;
  getProduct(productId: string, metadata: Metadata): Promise<GetProductResponse>;
  searchProducts(request: SearchProductsRequest, metadata: Metadata): Promise<SearchProductsResponse>;
  close(): void;
}

export const createCatalogClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number }): CatalogClient => {
  const commands = new CatalogCommandServiceClient(settings.commandAddress, credentials.createInsecure());
  const queries = new CatalogQueryServiceClient(settings.queryAddress, credentials.createInsecure());
  const timeoutMs = settings.timeoutMs;
  return {
    createProduct: (request, metadata) => callUnary(commands.createProduct.bind(commands), request, { timeoutMs, metadata }),
    getProduct: (productId, metadata) => callUnary(queries.getProduct.bind(queries), { productId }, { timeoutMs, metadata }),
    searchProducts: (request, metadata) => callUnary(queries.searchProducts.bind(queries), request, { timeoutMs, metadata }),
    close() {
      commands.close();
      queries.close();
    },
  };
};
