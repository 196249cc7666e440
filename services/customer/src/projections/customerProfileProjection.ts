import type { EventEnvelope } from "@bazaar/core";
import type { DocumentProjection } from "@bazaar/projections";
import type { Address } from "../domain/customerEvents.js";
import { customerIdOfStream, isCustomerStream } from "../domain/customerStream.js";
import { decodeCustomerEvent, isCustomerEventType } from "../events/customerIntegrationEvents.js";

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
export const customerProfileProjection: DocumentProjection<CustomerProfileDocument> = {
  name: "customer-profile",
  alias: "customer-profiles",
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "1s" },
  mappings: {
    dynamic: "strict",
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
      updatedAt: { type: "date" },
    },
  },

  handlesStream: isCustomerStream,
  documentId: customerIdOfStream,

  evolve(current, envelope: EventEnvelope) {
    const at = envelope.recordedAt.toISOString();
    // Stored (rebuild, gap repair) or published: one decode; a type this version does not know stays undecoded.
    const event = isCustomerEventType(envelope.type) ? decodeCustomerEvent(envelope) : undefined;
    switch (event?.type) {
      case "customer.CustomerRegistered.v1": {
        const { customerId, name, email, address } = event.data;
        return { customerId, name, email, address, registeredAt: at, updatedAt: at };
      }
      case "customer.CustomerAddressUpdated.v1": {
        if (!current) throw new Error(`${envelope.type} arrived before CustomerRegistered for ${envelope.streamId}`);
        return { ...current, address: event.data.address, updatedAt: at };
      }
      default:
        // An event type this version does not know yet: keep the document, advance its version.
        if (!current) throw new Error(`${envelope.type} arrived before CustomerRegistered for ${envelope.streamId}`);
        return { ...current, updatedAt: at };
    }
  },
};
