import { NotFoundError, RuleViolationError } from "@bazaar/core";
import { SagaRejection, type SagaDefinition } from "./sagaEngine.js";
import type { SagaContext } from "./sagaCoordinator.js";
import type { SagaPortsFor } from "./sagaPorts.js";

export interface PlaceOrderInput {
  orderId: string;
  customerId: string;
  lines: { productId: string; quantity: number }[];
  context: SagaContext;
}

/**
 * `orders?flow=sync`, orchestrated: ordering creates the order PENDING → inventory reserves all
 * lines or none → ordering confirms. Insufficient stock rejects the order (a business outcome);
 * a technical failure midway compensates in reverse: release the stock, reject the order.
 * The saga id is the order id, which keys every step's idempotency downstream.
 */
export const placeOrderSaga = (portsFor: SagaPortsFor): SagaDefinition => ({
  type: "place-order",
  steps: (raw, sagaId) => {
    const input = raw as PlaceOrderInput;
    const { orderId } = input;
    const ports = portsFor({ sagaId, ...input.context });
    return [
      {
        name: "ordering.create",
        run: () => ports.placeSyncOrder({ orderId, customerId: input.customerId, lines: input.lines }),
        async compensate() {
          try {
            await ports.rejectOrder(orderId, "the order could not be completed");
          } catch (error) {
            if (error instanceof NotFoundError) return; // never created
            if (!(error instanceof RuleViolationError)) throw error;
            await ports.cancelOrder(orderId, "the order could not be completed"); // confirmed meanwhile
          }
        },
      },
      {
        name: "inventory.reserve",
        async run() {
          const outcome = await ports.reserveStock({ orderId, lines: input.lines });
          if (!outcome.reserved) throw new SagaRejection(outcome.reason || "insufficient stock");
          return outcome;
        },
        compensate: () => ports.releaseStock(orderId),
      },
      {
        name: "ordering.confirm",
        run: () => ports.confirmOrder(orderId, input.lines),
      },
    ];
  },
});
