import { decodeIntegrationEvent, encodeEvent, eventDecoder, publishedBody, requiredField } from "@bazaar/contracts/events";
import { assertNever } from "@bazaar/core";
import type { Address, CustomerEvent } from "../domain/customerEvents.js";

/**
 * The customer context's events and their published contract (`bazaar.customer.v1`
 * events.proto), both ways, in this one place. The stored data already has the messages' shape.
 */

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

/** The customer context's one typed decode of its own events, stored or published. */
export const customerEvents = eventDecoder<CustomerEvent>(
  "a customer event",
  ["customer.CustomerRegistered.v1", "customer.CustomerAddressUpdated.v1"],
  fromCustomerIntegrationEvent,
);

export const decodeCustomerEvent = customerEvents.decode;

/** What the customer context publishes each stored event as: its message in proto3 JSON (see publishedBody for one it cannot map). */
export const publishedCustomerBody = publishedBody((envelope) => encodeEvent(decodeCustomerEvent(envelope)));
