import * as catalog from "../gen/bazaar/catalog/v1/events.js";
import * as customer from "../gen/bazaar/customer/v1/events.js";
import * as inventory from "../gen/bazaar/inventory/v1/events.js";
import * as ordering from "../gen/bazaar/ordering/v1/events.js";

/** Every integration event: the type name it is published under (`Bazaar-Event-Type`) → its generated message. */
export interface IntegrationEvents {
  "catalog.ProductCreated.v1": catalog.ProductCreated;
  "catalog.ProductRenamed.v1": catalog.ProductRenamed;
  "catalog.ProductPriceChanged.v1": catalog.ProductPriceChanged;
  "catalog.ProductDetailsChanged.v1": catalog.ProductDetailsChanged;
  "catalog.ProductDiscontinued.v1": catalog.ProductDiscontinued;
  "customer.CustomerRegistered.v1": customer.CustomerRegistered;
  "customer.CustomerAddressUpdated.v1": customer.CustomerAddressUpdated;
  "inventory.StockAdded.v1": inventory.StockAdded;
  "inventory.StockReserved.v1": inventory.StockReserved;
  "inventory.StockReservationRejected.v1": inventory.StockReservationRejected;
  "inventory.StockReleased.v1": inventory.StockReleased;
  "ordering.OrderPlaced.v1": ordering.OrderPlaced;
  "ordering.OrderConfirmed.v1": ordering.OrderConfirmed;
  "ordering.OrderRejected.v1": ordering.OrderRejected;
  "ordering.OrderCancelled.v1": ordering.OrderCancelled;
  "ordering.OrderProductRenamed.v1": ordering.OrderProductRenamed;
}

export type IntegrationEventType = keyof IntegrationEvents;

/** The generated (ts-proto) message type of an integration event. */
export type IntegrationEventMessage<T extends IntegrationEventType> = IntegrationEvents[T];

/** An event as a type and its message's data: the pairs the contract allows, one per type. */
export type IntegrationEvent = { [T in IntegrationEventType]: { type: T; data: IntegrationEventMessage<T> } }[IntegrationEventType];

/** What this package uses of a message's generated functions. */
interface MessageJson<Message> {
  fromJSON(object: unknown): Message;
  toJSON(message: Message): unknown;
}

/** The generated functions of each event's message; a unit test keeps the table in step with the `events.proto` files. */
export const integrationEventMessages: { readonly [T in IntegrationEventType]: MessageJson<IntegrationEvents[T]> } = {
  "catalog.ProductCreated.v1": catalog.ProductCreated,
  "catalog.ProductRenamed.v1": catalog.ProductRenamed,
  "catalog.ProductPriceChanged.v1": catalog.ProductPriceChanged,
  "catalog.ProductDetailsChanged.v1": catalog.ProductDetailsChanged,
  "catalog.ProductDiscontinued.v1": catalog.ProductDiscontinued,
  "customer.CustomerRegistered.v1": customer.CustomerRegistered,
  "customer.CustomerAddressUpdated.v1": customer.CustomerAddressUpdated,
  "inventory.StockAdded.v1": inventory.StockAdded,
  "inventory.StockReserved.v1": inventory.StockReserved,
  "inventory.StockReservationRejected.v1": inventory.StockReservationRejected,
  "inventory.StockReleased.v1": inventory.StockReleased,
  "ordering.OrderPlaced.v1": ordering.OrderPlaced,
  "ordering.OrderConfirmed.v1": ordering.OrderConfirmed,
  "ordering.OrderRejected.v1": ordering.OrderRejected,
  "ordering.OrderCancelled.v1": ordering.OrderCancelled,
  "ordering.OrderProductRenamed.v1": ordering.OrderProductRenamed,
};

export const isIntegrationEventType = (type: string): type is IntegrationEventType => Object.hasOwn(integrationEventMessages, type);

/** `catalog.ProductCreated.v1` → `bazaar.catalog.v1.ProductCreated`: where its message is declared. */
export const protoNameOf = (type: IntegrationEventType): string => {
  const [context, name, version] = type.split(".");
  return `bazaar.${context}.${version}.${name}`;
};
