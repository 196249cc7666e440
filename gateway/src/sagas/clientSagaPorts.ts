import { ReservationStatus } from "@bazaar/contracts/inventory/v1";
import { OrderFlow } from "@bazaar/contracts/ordering/v1";
import { callMetadata } from "@bazaar/runtime";
import type { CatalogClient } from "../clients/catalogClient.js";
import type { InventorySagaClient } from "../clients/inventoryClient.js";
import type { OrderingSagaClient } from "../clients/orderingClient.js";
import type { SagaPortsFor, StreamPosition } from "./sagaPorts.js";

/** A command's answer carries its stream's position (the contract); one without it is a broken peer. */
const positionOf = (position: StreamPosition | undefined, what: string): StreamPosition => {
  if (!position) throw new Error(`${what} answered without a position`);
  return { streamId: position.streamId, version: position.version };
};

/**
 * The saga steps over the same clients as the routes (breaker, bulkhead, deadline; retries only
 * for methods whose proto declares them idempotent), each call bounded by its step's signal and
 * carrying the saga's correlation id, the saga id as causation, and the actor — so the events it
 * causes say who.
 */
export const createSagaPorts = (clients: { catalog: CatalogClient; ordering: OrderingSagaClient; inventory: InventorySagaClient }): SagaPortsFor => {
  const { catalog, ordering, inventory } = clients;
  return (call) => {
    const metadata = () => callMetadata({ correlationId: call.correlationId, causationId: call.sagaId, actor: call.actor });
    return {
      async readProduct(productId, signal) {
        const { product } = await catalog.getProduct({ productId }, metadata(), signal);
        return { name: product?.name ?? "", version: product?.version ?? 0 };
      },
      async renameProduct({ productId, name, expectedVersion }, signal) {
        const result = await catalog.renameProduct({ productId, name, expectedVersion }, metadata(), signal);
        return { position: positionOf(result.position, "catalog RenameProduct"), previousName: result.previousName };
      },
      applyProductRename: (input, signal) => ordering.applyProductRename(input, metadata(), signal),
      async placeSyncOrder(input, signal) {
        const { order } = await ordering.placeOrder({ ...input, flow: OrderFlow.ORDER_FLOW_SYNC }, metadata(), signal);
        return { total: order?.total ?? { amount: 0, currency: "EUR" } };
      },
      async reserveStock(input, signal) {
        const answer = await inventory.reserve(input, metadata(), signal);
        return { reserved: answer.status === ReservationStatus.RESERVATION_STATUS_RESERVED, reason: answer.reason };
      },
      async releaseStock(orderId, signal) {
        await inventory.release({ orderId }, metadata(), signal);
      },
      async confirmOrder(orderId, reservedLines, signal) {
        const { position } = await ordering.confirmOrder({ orderId, reservedLines }, metadata(), signal);
        return { position: positionOf(position, "ordering ConfirmOrder") };
      },
      async rejectOrder(orderId, reason, signal) {
        await ordering.rejectOrder({ orderId, reason }, metadata(), signal);
      },
      async cancelOrder(orderId, reason, signal) {
        await ordering.cancelOrder({ orderId, reason }, metadata(), signal);
      },
    };
  };
};
