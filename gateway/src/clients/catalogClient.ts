import { remainingBudgetMs } from "../http/requestBudget.js";
import {
  CatalogCommandServiceClient,
  CatalogHistoryServiceClient,
  CatalogQueryServiceClient,
  type ChangeProductPriceRequest,
  type ChangeProductPriceResponse,
  type CreateProductRequest,
  type CreateProductResponse,
  type DiscontinueProductRequest,
  type DiscontinueProductResponse,
  type GetProductAsOfRequest,
  type GetProductAsOfResponse,
  type GetProductHistoryRequest,
  type GetProductHistoryResponse,
  type GetProductRequest,
  type GetProductResponse,
  type RenameProductRequest,
  type RenameProductResponse,
  type SearchProductsRequest,
  type SearchProductsResponse,
} from "@bazaar/contracts/catalog/v1";
import { callUnary } from "@bazaar/runtime";
import { credentials, type Metadata } from "@grpc/grpc-js";

/** The gateway's view of the catalog: typed calls with a deadline, typed errors back. */
export interface CatalogClient {
  createProduct(request: CreateProductRequest, metadata: Metadata): Promise<CreateProductResponse>;
  renameProduct(request: RenameProductRequest, metadata: Metadata): Promise<RenameProductResponse>;
  changeProductPrice(request: ChangeProductPriceRequest, metadata: Metadata): Promise<ChangeProductPriceResponse>;
  discontinueProduct(request: DiscontinueProductRequest, metadata: Metadata): Promise<DiscontinueProductResponse>;
  getProduct(request: GetProductRequest, metadata: Metadata): Promise<GetProductResponse>;
  searchProducts(request: SearchProductsRequest, metadata: Metadata): Promise<SearchProductsResponse>;
  /** From the event store, at the command address. */
  getProductHistory(request: GetProductHistoryRequest, metadata: Metadata): Promise<GetProductHistoryResponse>;
  /** From the event store, at the command address. */
  getProductAsOf(request: GetProductAsOfRequest, metadata: Metadata): Promise<GetProductAsOfResponse>;
  close(): void;
}

export const createCatalogClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number }): CatalogClient => {
  const commands = new CatalogCommandServiceClient(settings.commandAddress, credentials.createInsecure());
  const history = new CatalogHistoryServiceClient(settings.commandAddress, credentials.createInsecure());
  const queries = new CatalogQueryServiceClient(settings.queryAddress, credentials.createInsecure());
  const timeoutMs = settings.timeoutMs;
  return {
    createProduct: (request, metadata) => callUnary(commands.createProduct.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    renameProduct: (request, metadata) => callUnary(commands.renameProduct.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    changeProductPrice: (request, metadata) => callUnary(commands.changeProductPrice.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    discontinueProduct: (request, metadata) => callUnary(commands.discontinueProduct.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getProduct: (request, metadata) => callUnary(queries.getProduct.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    searchProducts: (request, metadata) => callUnary(queries.searchProducts.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getProductHistory: (request, metadata) => callUnary(history.getProductHistory.bind(history), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getProductAsOf: (request, metadata) => callUnary(history.getProductAsOf.bind(history), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    close() {
      commands.close();
      history.close();
      queries.close();
    },
  };
};
