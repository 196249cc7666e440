import { eventDocumentProjection } from "@bazaar/projections";
import type { Address, CustomerEvent } from "../domain/customerEvents.js";
import { customerIdOfStream, isCustomerStream } from "../domain/customerStream.js";
import { customerEvents } from "../events/customerIntegrationEvents.js";

/** A customer as the profile model stores it. */
export interface CustomerProfileDocument {
  customerId: string;
  name: string;
  email: string;
  address: Address;
  registeredAt: string;
  updatedAt: string;
}

const text = { type: "text", analyzer: "standard" } as const;

/** The customer profile model: one document per customer, looked up by id or exact email. */
export const customerProfileProjection = eventDocumentProjection<CustomerProfileDocument, CustomerEvent, "customer.CustomerRegistered.v1">({
  name: "customer-profile",
  alias: "customer-profiles",
  properties: {
    customerId: { type: "keyword" },
    name: { ...text, fields: { keyword: { type: "keyword", ignore_above: 256 } } },
    email: { type: "keyword" },
    address: {
      dynamic: "strict",
      properties: {
        line1: text,
        line2: text,
        postalCode: { type: "keyword" },
        city: { ...text, fields: { keyword: { type: "keyword", ignore_above: 256 } } },
        country: { type: "keyword" },
      },
    },
    registeredAt: { type: "date" },
  },
  handlesStream: isCustomerStream,
  documentId: customerIdOfStream,
  decodeKnown: customerEvents.decodeKnown,
  first: {
    type: "customer.CustomerRegistered.v1",
    document: ({ data: { customerId, name, email, address } }, at) => ({ customerId, name, email, address, registeredAt: at, updatedAt: at }),
  },
  apply: (current, event, at) => ({ ...current, address: event.data.address, updatedAt: at }),
});
