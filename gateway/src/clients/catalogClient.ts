import {
  CatalogCommandServiceService,
  CatalogHistoryServiceService,
  CatalogQueryServiceService,
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
import type { UnaryCall } from "@bazaar/runtime";
import { joinClients, type Connect, type ContextAddresses } from "./connect.js";

/** The gateway's view of the catalog: typed calls with a deadline, typed errors back. */
export interface CatalogClient {
  createProduct: UnaryCall<CreateProductRequest, CreateProductResponse>;
  renameProduct: UnaryCall<RenameProductRequest, RenameProductResponse>;
  changeProductPrice: UnaryCall<ChangeProductPriceRequest, ChangeProductPriceResponse>;
  discontinueProduct: UnaryCall<DiscontinueProductRequest, DiscontinueProductResponse>;
  getProduct: UnaryCall<GetProductRequest, GetProductResponse>;
  searchProducts: UnaryCall<SearchProductsRequest, SearchProductsResponse>;
  /** From the event store, at the command address. */
  getProductHistory: UnaryCall<GetProductHistoryRequest, GetProductHistoryResponse>;
  /** From the event store, at the command address. */
  getProductAsOf: UnaryCall<GetProductAsOfRequest, GetProductAsOfResponse>;
  close(): void;
}

export const createCatalogClient = (connect: Connect, addresses: ContextAddresses): CatalogClient =>
  joinClients(
    connect(CatalogCommandServiceService, addresses.commandAddress),
    // The history is read from the event store: the command role serves it.
    connect(CatalogHistoryServiceService, addresses.commandAddress),
    connect(CatalogQueryServiceService, addresses.queryAddress),
  );
