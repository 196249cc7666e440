import { CatalogCommandServiceClient, CatalogQueryServiceClient } from "@bazaar/contracts/catalog/v1";
import { InventoryCommandServiceClient, ReservationStatus } from "@bazaar/contracts/inventory/v1";
import { OrderFlow, OrderingCommandServiceClient } from "@bazaar/contracts/ordering/v1";
import { callMetadata, callUnary } from "@bazaar/runtime";
import { credentials } from "@grpc/grpc-js";
import type { SagaPortsFor } from "./sagaPorts.js";

/**
 * The saga steps over the contexts' gRPC APIs, each call with a deadline and the saga's
 * correlation id, the saga id as causation, and the actor — so the events it causes say who.
 */
export const createGrpcSagaPorts = (settings: {
  catalogCommandAddress: string;
  catalogQueryAddress: string;
  orderingCommandAddress: string;
  inventoryCommandAddress: string;
  timeoutMs: number;
}): { for: SagaPortsFor; close(): void } => {
  const insecure = credentials.createInsecure();
  const catalog = new CatalogCommandServiceClient(settings.catalogCommandAddress, insecure);
  const products = new CatalogQueryServiceClient(settings.catalogQueryAddress, insecure);
  const ordering = new OrderingCommandServiceClient(settings.orderingCommandAddress, insecure);
  const inventory = new InventoryCommandServiceClient(settings.inventoryCommandAddress, insecure);
  const portsFor: SagaPortsFor = (call) => {
    const options = { timeoutMs: settings.timeoutMs, metadata: callMetadata({ correlationId: call.correlationId, causationId: call.sagaId, actor: call.actor }) };
    return {
      async readProduct(productId) {
        const { product } = await callUnary(products.getProduct.bind(products), { productId }, options);
        return { name: product?.name ?? "", version: product?.version ?? 0 };
      },
      async renameProduct({ productId, name, expectedVersion }) {
        const result = await callUnary(catalog.renameProduct.bind(catalog), { productId, name, expectedVersion }, options);
        return { version: result.position?.version ?? 0, previousName: result.previousName };
      },
      applyProductRename: (input) => callUnary(ordering.applyProductRename.bind(ordering), input, options),
      async placeSyncOrder(input) {
        const { order } = await callUnary(ordering.placeOrder.bind(ordering), { ...input, flow: OrderFlow.ORDER_FLOW_SYNC }, options);
        return { total: order?.total ?? { amount: 0, currency: "EUR" } };
      },
      async reserveStock(input) {
        const answer = await callUnary(inventory.reserve.bind(inventory), input, options);
        return { reserved: answer.status === ReservationStatus.RESERVATION_STATUS_RESERVED, reason: answer.reason };
      },
      async releaseStock(orderId) {
        await callUnary(inventory.release.bind(inventory), { orderId }, options);
      },
      async confirmOrder(orderId, reservedLines) {
        const { position } = await callUnary(ordering.confirmOrder.bind(ordering), { orderId, reservedLines }, options);
        return { version: position?.version ?? 0 };
      },
      async rejectOrder(orderId, reason) {
        await callUnary(ordering.rejectOrder.bind(ordering), { orderId, reason }, options);
      },
      async cancelOrder(orderId, reason) {
        await callUnary(ordering.cancelOrder.bind(ordering), { orderId, reason }, options);
      },
    };
  };
  return {
    for: portsFor,
    close() {
      for (const client of [catalog, products, ordering, inventory]) client.close();
    },
  };
};
