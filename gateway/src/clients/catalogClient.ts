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
import { budgetedCall } from "./budgetedCall.js";
import { credentials, type ChannelOptions, type Metadata } from "@grpc/grpc-js";

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

export const createCatalogClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number; clientOptions: ChannelOptions }): CatalogClient => {
  const commands = new CatalogCommandServiceClient(settings.commandAddress, credentials.createInsecure(), settings.clientOptions);
  const history = new CatalogHistoryServiceClient(settings.commandAddress, credentials.createInsecure(), settings.clientOptions);
  const queries = new CatalogQueryServiceClient(settings.queryAddress, credentials.createInsecure(), settings.clientOptions);
  const call = budgetedCall(settings.timeoutMs);
  return {
    createProduct: call(commands.createProduct.bind(commands)),
    renameProduct: call(commands.renameProduct.bind(commands)),
    changeProductPrice: call(commands.changeProductPrice.bind(commands)),
    discontinueProduct: call(commands.discontinueProduct.bind(commands)),
    getProduct: call(queries.getProduct.bind(queries)),
    searchProducts: call(queries.searchProducts.bind(queries)),
    getProductHistory: call(history.getProductHistory.bind(history)),
    getProductAsOf: call(history.getProductAsOf.bind(history)),
    close() {
      commands.close();
      history.close();
      queries.close();
    },
  };
};
