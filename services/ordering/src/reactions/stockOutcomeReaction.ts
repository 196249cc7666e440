import { decodeIntegrationEvent } from "@bazaar/contracts/events";
import { RuleViolationError } from "@bazaar/core";
import type { EventStore } from "@bazaar/event-store";
import type { Logger } from "@bazaar/runtime";
import { reactionTo, type Reaction } from "@bazaar/service-kit";
import type { OrderService } from "../application/orderService.js";
import { orderStreamId } from "../domain/orderStream.js";
import { decodeOrderEvent } from "../events/orderIntegrationEvents.js";
import { causedBy } from "./causedBy.js";

/**
 * The ordering side of the order choreography: inventory's StockReserved confirms an async
 * order, StockReservationRejected rejects it. Sync orders belong to the gateway's saga.
 */
export const stockOutcomeReaction = (deps: { orders: OrderService; eventStore: EventStore; logger: Logger }): Reaction => {
  const isAsync = async (orderId: string) => {
    const [placed] = await deps.eventStore.readStream(orderStreamId(orderId), { fromVersion: 1 });
    const event = placed && decodeOrderEvent(placed);
    return event?.type === "ordering.OrderPlaced.v1" && event.data.flow === "async";
  };
  /** An order that moved on (cancelled meanwhile) is not an error of this reaction. */
  const settle = async (orderId: string, decide: () => Promise<unknown>) => {
    try {
      await decide();
    } catch (error) {
      if (!(error instanceof RuleViolationError)) throw error;
      deps.logger.info({ orderId, reason: error.message }, "stock outcome no longer applies to the order");
    }
  };
  return reactionTo({
    name: "stock-outcome",
    source: "inventory",
    on: {
      async "inventory.StockReserved.v1"(event) {
        const reserved = decodeIntegrationEvent("inventory.StockReserved.v1", event.data);
        if (!(await isAsync(reserved.orderId))) return;
        await settle(reserved.orderId, () =>
          deps.orders.confirm(
            reserved.orderId,
            reserved.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
            causedBy(event),
          ),
        );
      },
      async "inventory.StockReservationRejected.v1"(event) {
        const rejected = decodeIntegrationEvent("inventory.StockReservationRejected.v1", event.data);
        if (!(await isAsync(rejected.orderId))) return;
        await settle(rejected.orderId, () => deps.orders.reject(rejected.orderId, rejected.reason || "insufficient stock", causedBy(event)));
      },
    },
  });
};
