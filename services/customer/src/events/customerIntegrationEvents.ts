import { decodeIntegrationEvent, encodeIntegrationEvent, publishedBody, requiredField } from "@bazaar/contracts/events";
import { assertNever, ValidationError, type EventEnvelope } from "@bazaar/core";
import type { Address, CustomerEvent } from "../domain/customerEvents.js";

/**
 * The customer context's events and their published contract (`bazaar.customer.v1`
 * events.proto), both ways, in this one place. The stored data already has the messages' shape.
 */

/** The published body of a customer event: its message in proto3 JSON. */
export const toCustomerIntegrationEvent = (event: CustomerEvent): Record<string, unknown> => {
  switch (event.type) {
    case "customer.CustomerRegistered.v1":
      return encodeIntegrationEvent(event.type, event.data);
    case "customer.CustomerAddressUpdated.v1":
      return encodeIntegrationEvent(event.type, event.data);
    default:
      return assertNever(event);
  }
};

const address = (value: Address | undefined): Address => {
  const { line1, line2, postalCode, city, country } = requiredField(value, "address");
  return { line1, line2, postalCode, city, country };
};

/** A customer event from its message, decoded by the generated code; refused (ValidationError naming the field) when it does not decode. */
export const fromCustomerIntegrationEvent = (type: CustomerEvent["type"], body: unknown): CustomerEvent => {
  switch (type) {
    case "customer.CustomerRegistered.v1": {
      const { customerId, name, email, address: at } = decodeIntegrationEvent(type, body);
      return { type, data: { customerId, name, email, address: address(at) } };
    }
    case "customer.CustomerAddressUpdated.v1": {
      const { customerId, address: at } = decodeIntegrationEvent(type, body);
      return { type, data: { customerId, address: address(at) } };
    }
    default:
      return assertNever(type);
  }
};

const customerEventTypes: ReadonlySet<string> = new Set<CustomerEvent["type"]>(["customer.CustomerRegistered.v1", "customer.CustomerAddressUpdated.v1"]);

export const isCustomerEventType = (type: string): type is CustomerEvent["type"] => customerEventTypes.has(type);

/** The customer context's one typed decode of its own events, stored or published. */
export const decodeCustomerEvent = (envelope: Pick<EventEnvelope, "type" | "data">): CustomerEvent => {
  if (!isCustomerEventType(envelope.type)) throw new ValidationError([{ field: "type", message: `${envelope.type} is not a customer event` }]);
  return fromCustomerIntegrationEvent(envelope.type, envelope.data);
};

/** What the customer context publishes each stored event as (see publishedBody for one it cannot map). */
export const publishedCustomerBody = publishedBody((envelope) => toCustomerIntegrationEvent(decodeCustomerEvent(envelope)));
