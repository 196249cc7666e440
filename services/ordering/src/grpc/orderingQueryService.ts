import { parseId } from "@bazaar/core";
import { OrderingQueryServiceService, type OrderingQueryServiceServer, type ProductDetails } from "@bazaar/contracts/ordering/v1";
import { productDescription, ProductStatus, type Product } from "@bazaar/contracts/catalog/v1";
import { consistencyFor } from "@bazaar/projections";
import { unary, type GrpcService, type Logger } from "@bazaar/runtime";
import { orderStreamId } from "../domain/orderStream.js";
import type { OrderQueries } from "../query/orderQueries.js";
import type { ProductDetailsSource } from "../query/productDetailsSource.js";
import { toOrder } from "./orderMapping.js";

const toDetails = (product: Product): ProductDetails => ({
  productId: product.productId,
  ...productDescription(product),
  status: product.status === ProductStatus.PRODUCT_STATUS_DISCONTINUED ? "DISCONTINUED" : "ACTIVE",
});

/** Ordering's read API: orders, customer history, and order details through the hybrid path. */
export const createOrderingQueryService = (deps: { queries: OrderQueries; details: ProductDetailsSource; logger: Logger }): GrpcService => {
  const implementation: OrderingQueryServiceServer = {
    getOrder: unary(deps.logger, async (request, _metadata, { signal }) => {
      const orderId = parseId(request.orderId, "orderId");
      const stale = await deps.queries.isStale(orderId, consistencyFor(orderStreamId(orderId), request.consistency), signal);
      return { order: toOrder(await deps.queries.get(orderId, signal)), stale };
    }),
    getOrderDetails: unary(deps.logger, async (request, _metadata, { signal }) => {
      const orderId = parseId(request.orderId, "orderId");
      const stale = await deps.queries.isStale(orderId, consistencyFor(orderStreamId(orderId), request.consistency), signal);
      const order = await deps.queries.get(orderId, signal);
      const { products, degradedReason } = await deps.details.details(order.lines.map((l) => l.productId));
      return {
        order: toOrder(order),
        products: Object.fromEntries([...products].map(([id, product]) => [id, toDetails(product)])),
        degraded: degradedReason !== undefined,
        degradedReason: degradedReason ?? "",
        stale,
      };
    }),
    listCustomerOrders: unary(deps.logger, async (request, _metadata, { signal }) => {
      const result = await deps.queries.listByCustomer(parseId(request.customerId, "customerId"), {
        limit: request.limit,
        cursor: request.cursor || undefined,
        signal,
      });
      return { orders: result.orders.map(toOrder), total: result.total, nextCursor: result.nextCursor };
    }),
  };
  return { name: "bazaar.ordering.v1.OrderingQueryService", definition: OrderingQueryServiceService, implementation };
};
