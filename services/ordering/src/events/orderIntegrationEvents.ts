import { decodeIntegrationEvent, decodedEvent, encodeEvent, eventDecoder, publishedBody } from "@bazaar/contracts/events";
import { OrderFlow as ProtoOrderFlow, type OrderLine as ProtoOrderLine } from "@bazaar/contracts/ordering/v1";
import { assertNever, ValidationError } from "@bazaar/core";
import type { OrderEvent, OrderFlow, OrderLine } from "../domain/orderEvents.js";

/**
 * Ordering's events and their published contract (`bazaar.ordering.v1` events.proto), both
 * ways, in this one place: what the decider emits → the message other contexts decode, and a
 * message back → the event. Only OrderPlaced differs in shape (the flow is an enum there).
 */

const flowToProto: Record<OrderFlow, ProtoOrderFlow> = { async: ProtoOrderFlow.ORDER_FLOW_ASYNC, sync: ProtoOrderFlow.ORDER_FLOW_SYNC };

const flowFromProto = (flow: ProtoOrderFlow): OrderFlow => {
  if (flow === ProtoOrderFlow.ORDER_FLOW_ASYNC) return "async";
  if (flow === ProtoOrderFlow.ORDER_FLOW_SYNC) return "sync";
  throw new ValidationError([{ field: "flow", message: "must be ORDER_FLOW_ASYNC or ORDER_FLOW_SYNC" }]);
};

const lineFromProto = (line: ProtoOrderLine, index: number): OrderLine => {
  if (!line.unitPrice) throw new ValidationError([{ field: `lines[${index}].unitPrice`, message: "is required" }]);
  const { productId, quantity, productName, unitPrice } = line;
  return { productId, quantity, productName, unitPrice: { amount: unitPrice.amount, currency: unitPrice.currency } };
};

/** The published body of an order event: its message in proto3 JSON. */
export const toOrderIntegrationEvent = (event: OrderEvent): Record<string, unknown> =>
  event.type === "ordering.OrderPlaced.v1"
    ? encodeEvent({ type: event.type, data: { ...event.data, flow: flowToProto[event.data.flow] } })
    : encodeEvent(event);

/** An order event from its message, decoded by the generated code; refused (ValidationError) when it does not decode. */
export const fromOrderIntegrationEvent = (type: OrderEvent["type"], body: unknown): OrderEvent => {
  switch (type) {
    case "ordering.OrderPlaced.v1": {
      const { orderId, customerId, lines, flow, placedAt } = decodeIntegrationEvent(type, body);
      return { type, data: { orderId, customerId, lines: lines.map(lineFromProto), flow: flowFromProto(flow), placedAt } };
    }
    case "ordering.OrderConfirmed.v1":
    case "ordering.OrderRejected.v1":
    case "ordering.OrderCancelled.v1":
    case "ordering.OrderProductRenamed.v1":
      return decodedEvent(type, body);
    default:
      return assertNever(type);
  }
};

/**
 * OrderPlaced as the event store holds it names the flow `async`/`sync` (the domain's words);
 * the contract names it by the enum. Stored events are read through this step to the contract's
 * shape, so one decoder reads both what is stored and what is published.
 */
const storedToContract = (type: OrderEvent["type"], data: unknown): unknown => {
  if (type !== "ordering.OrderPlaced.v1" || typeof data !== "object" || data === null) return data;
  const { flow } = data as { flow?: unknown };
  return flow === "async" || flow === "sync" ? { ...data, flow: ProtoOrderFlow[flowToProto[flow]] } : data;
};

/**
 * Ordering's one typed decode of its own events, stored or published: every consumer inside
 * the context (its projector, its reactions reading the order stream) reads events through it.
 */
export const orderEvents = eventDecoder<OrderEvent>(
  "an ordering event",
  ["ordering.OrderPlaced.v1", "ordering.OrderConfirmed.v1", "ordering.OrderRejected.v1", "ordering.OrderCancelled.v1", "ordering.OrderProductRenamed.v1"],
  (type, body) => fromOrderIntegrationEvent(type, storedToContract(type, body)),
);

export const decodeOrderEvent = orderEvents.decode;

/** What the ordering context publishes each stored event as (every ordering event is public; see publishedBody for one it cannot map). */
export const publishedOrderBody = publishedBody((envelope) => toOrderIntegrationEvent(decodeOrderEvent(envelope)));
