import { decodeIntegrationEvent } from "@bazaar/contracts/events";
import { OrderFlow } from "@bazaar/contracts/ordering/v1";
import { ValidationError, type EventEnvelope, type EventMetadata } from "@bazaar/core";
import { reactionTo, type Reaction } from "@bazaar/service-kit";
import type { Inventory } from "../application/reservations.js";

/** Only async orders are inventory's to reserve; sync ones are the gateway saga's. A flow it cannot tell is refused, never guessed. */
const isAsync = (flow: OrderFlow): boolean => {
  if (flow === OrderFlow.ORDER_FLOW_ASYNC) return true;
  if (flow === OrderFlow.ORDER_FLOW_SYNC) return false;
  throw new ValidationError([{ field: "flow", message: "must be ORDER_FLOW_ASYNC or ORDER_FLOW_SYNC" }]);
};

/** The events inventory writes in reaction to an ordering event are caused by that event. */
const causedBy = (event: EventEnvelope): EventMetadata => ({
  causationId: event.eventId,
  correlationId: event.metadata.correlationId,
  actor: event.metadata.actor,
  traceparent: event.metadata.traceparent,
});

/**
 * Choreography of the async order flow: a placed order's stock is reserved, a cancelled order's
 * released. One reaction (one consumer) for both, so an order's cancellation is handled after its
 * placement. Orders placed with flow ORDER_FLOW_SYNC are the gateway saga's to reserve. Reserve and
 * Release are idempotent per order id, so a redelivered event changes nothing. Events are read with
 * ordering's published contract (`bazaar.ordering.v1`); one that does not decode is a business
 * refusal (ValidationError naming the field), dead-lettered by the reactor.
 */
export const createOrderStockReaction = (inventory: Pick<Inventory, "reserve" | "release">): Reaction =>
  reactionTo({
    name: "order-stock",
    source: "ordering",
    on: {
      async "ordering.OrderPlaced.v1"(event) {
        const placed = decodeIntegrationEvent("ordering.OrderPlaced.v1", event.data);
        if (!isAsync(placed.flow)) return;
        await inventory.reserve(
          placed.orderId,
          placed.lines.map(({ productId, quantity }) => ({ productId, quantity })),
          causedBy(event),
        );
      },
      async "ordering.OrderCancelled.v1"(event) {
        await inventory.release(decodeIntegrationEvent("ordering.OrderCancelled.v1", event.data).orderId, causedBy(event));
      },
    },
  });
