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
        run: (_outputs, signal) => ports.placeSyncOrder({ orderId, customerId: input.customerId, lines: input.lines }, signal),
        async compensate(_output, _outputs, signal) {
          try {
            await ports.rejectOrder(orderId, "the order could not be completed", signal);
          } catch (error) {
            if (error instanceof NotFoundError) return; // never created
            if (!(error instanceof RuleViolationError)) throw error;
            await ports.cancelOrder(orderId, "the order could not be completed", signal); // confirmed meanwhile
          }
        },
      },
      {
        name: "inventory.reserve",
        async run(_outputs, signal) {
          const outcome = await ports.reserveStock({ orderId, lines: input.lines }, signal);
          if (!outcome.reserved) throw new SagaRejection(outcome.reason || "insufficient stock");
          return outcome;
        },
        compensate: (_output, _outputs, signal) => ports.releaseStock(orderId, signal),
      },
      {
        name: "ordering.confirm",
        run: (_outputs, signal) => ports.confirmOrder(orderId, input.lines, signal),
      },
    ];
  },
});
