import { ValidationError } from "@bazaar/core";
import { CatalogHistoryServiceService, productDescription, ProductStatus, type CatalogHistoryServiceServer } from "@bazaar/contracts/catalog/v1";
import { unary, type GrpcService, type Logger } from "@bazaar/runtime";
import type { ProductHistory } from "../history/productHistory.js";

/** RFC 3339 with a zone: an instant, not a local time whose meaning depends on the server. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

const instantOf = (value: string): Date => {
  const instant = new Date(value);
  if (!RFC3339.test(value) || Number.isNaN(instant.getTime()))
    throw new ValidationError([{ field: "asOf", message: "must be an RFC 3339 date-time with a zone, such as 2026-01-31T12:00:00Z" }]);
  return instant;
};

/** Audit trail and time travel over gRPC, served next to the commands (it needs the event store). */
export const createCatalogHistoryService = (deps: { history: ProductHistory; logger: Logger }): GrpcService => {
  const implementation: CatalogHistoryServiceServer = {
    getProductHistory: unary(deps.logger, async (request) => {
      const page = await deps.history.history(request.productId, { limit: request.limit, cursor: request.cursor });
      return {
        entries: page.entries.map((entry) => ({
          version: entry.version,
          type: entry.type,
          recordedAt: entry.recordedAt.toISOString(),
          data: JSON.stringify(entry.data),
          actor: entry.actor,
        })),
        nextCursor: page.nextCursor,
      };
    }),
    getProductAsOf: unary(deps.logger, async (request) => {
      const product = await deps.history.asOf(request.productId, instantOf(request.asOf));
      return {
        product: {
          productId: product.productId,
          ...productDescription(product),
          status: product.status === "active" ? ProductStatus.PRODUCT_STATUS_ACTIVE : ProductStatus.PRODUCT_STATUS_DISCONTINUED,
          version: product.version,
        },
      };
    }),
  };
  return { name: "bazaar.catalog.v1.CatalogHistoryService", definition: CatalogHistoryServiceService, implementation };
};
