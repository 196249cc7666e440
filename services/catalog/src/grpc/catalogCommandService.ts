import { randomUUID } from "node:crypto";
import { ValidationError } from "@bazaar/core";
import { CatalogCommandServiceService, type CatalogCommandServiceServer, type CreateProductRequest } from "@bazaar/contracts/catalog/v1";
import { eventMetadataFrom, unary, type GrpcService, type Logger } from "@bazaar/runtime";
import type { ProductCommandHandler } from "../application/productCommandHandler.js";
import { productStreamId } from "../domain/productStream.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The catalog's write API over gRPC: requests become commands on product streams. */
export const createCatalogCommandService = (deps: { handle: ProductCommandHandler; logger: Logger }): GrpcService => {
  const implementation: CatalogCommandServiceServer = {
    createProduct: unary(deps.logger, async (request: CreateProductRequest, metadata) => {
      const productId = request.productId || randomUUID();
      if (!UUID.test(productId)) throw new ValidationError([{ field: "productId", message: "must be a UUID" }]);
      if (!request.price) throw new ValidationError([{ field: "price", message: "is required" }]);
      const result = await deps.handle(
        productStreamId(productId),
        {
          type: "CreateProduct",
          data: {
            productId: productId.toLowerCase(),
            sku: request.sku,
            name: request.name,
            description: request.description,
            category: request.category,
            price: { amount: request.price.amount, currency: request.price.currency },
            attributes: request.attributes,
          },
        },
        { metadata: eventMetadataFrom(metadata, randomUUID()) },
      );
      return { productId, position: { streamId: result.streamId, version: result.version } };
    }),
  };
  return { name: "bazaar.catalog.v1.CatalogCommandService", definition: CatalogCommandServiceService, implementation };
};
