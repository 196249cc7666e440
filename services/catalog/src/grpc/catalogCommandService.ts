import { randomUUID } from "node:crypto";
import { parseId, ValidationError } from "@bazaar/core";
import { CatalogCommandServiceService, type CatalogCommandServiceServer } from "@bazaar/contracts/catalog/v1";
import type { Money } from "@bazaar/contracts/common/v1";
import { withClaim, type UniqueClaims } from "@bazaar/event-store";
import { eventMetadataFrom, unary, type GrpcService, type Logger } from "@bazaar/runtime";
import type { Metadata } from "@grpc/grpc-js";
import type { ProductCommandHandler } from "../application/productCommandHandler.js";
import type { ProductCommand } from "../domain/productCommands.js";
import { productStreamId } from "../domain/productStream.js";
import { decodeProductEvent } from "../events/productIntegrationEvents.js";

const productIdOf = (value: string): string => parseId(value, "productId");

const required = (price: Money | undefined, field = "price"): Money => {
  if (!price) throw new ValidationError([{ field, message: "is required" }]);
  return { amount: price.amount, currency: price.currency };
};

/** The catalog's write API over gRPC: requests become commands on product streams. */
export const createCatalogCommandService = (deps: { handle: ProductCommandHandler; skus: UniqueClaims; logger: Logger }): GrpcService => {
  const handle = (productId: string, command: ProductCommand, metadata: Metadata, expectedVersion = 0) =>
    deps.handle(productStreamId(productId), command, {
      metadata: eventMetadataFrom(metadata, randomUUID()),
      expectedVersion: expectedVersion > 0 ? expectedVersion : undefined,
    });
  const run = async (productId: string, command: ProductCommand, metadata: Metadata, expectedVersion = 0) => {
    const result = await handle(productId, command, metadata, expectedVersion);
    return { position: { streamId: result.streamId, version: result.version } };
  };

  const implementation: CatalogCommandServiceServer = {
    createProduct: unary(deps.logger, async (request, metadata) => {
      const productId = productIdOf(request.productId || randomUUID());
      const price = required(request.price);
      // SKUs are unique across products, case-insensitively: claimed before the creating append.
      const { position } = await withClaim(deps.skus, { value: request.sku.toUpperCase(), owner: productId, what: "SKU" }, () =>
        run(productId, { type: "CreateProduct", data: { ...request, productId, price } }, metadata),
      );
      return { productId, position };
    }),
    renameProduct: unary(deps.logger, async (request, metadata) => {
      const result = await handle(productIdOf(request.productId), { type: "RenameProduct", data: { name: request.name } }, metadata, request.expectedVersion);
      const renamed = result.events.map(decodeProductEvent).find((e) => e.type === "catalog.ProductRenamed.v1")?.data;
      const current = result.state.status === "empty" ? "" : result.state.name;
      return { position: { streamId: result.streamId, version: result.version }, previousName: renamed?.previousName ?? current };
    }),
    changeProductPrice: unary(deps.logger, (request, metadata) =>
      run(productIdOf(request.productId), { type: "ChangeProductPrice", data: { price: required(request.price) } }, metadata, request.expectedVersion),
    ),
    changeProductDetails: unary(deps.logger, (request, metadata) =>
      run(
        productIdOf(request.productId),
        { type: "ChangeProductDetails", data: { description: request.description, category: request.category, attributes: request.attributes } },
        metadata,
        request.expectedVersion,
      ),
    ),
    discontinueProduct: unary(deps.logger, (request, metadata) =>
      run(productIdOf(request.productId), { type: "DiscontinueProduct" }, metadata, request.expectedVersion),
    ),
  };
  return { name: "bazaar.catalog.v1.CatalogCommandService", definition: CatalogCommandServiceService, implementation };
};
