import type { DomainEvent } from "@bazaar/core";

/** A postal address, as `bazaar.customer.v1.Address` carries it. */
export interface Address {
  line1: string;
  /** Optional: empty when unused. */
  line2: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

export interface CustomerRegisteredData {
  customerId: string;
  name: string;
  /** Normalised: trimmed, lower case. */
  email: string;
  address: Address;
}

export interface CustomerAddressUpdatedData {
  customerId: string;
  address: Address;
}

export type CustomerRegistered = DomainEvent<"customer.CustomerRegistered.v1", CustomerRegisteredData>;
export type CustomerAddressUpdated = DomainEvent<"customer.CustomerAddressUpdated.v1", CustomerAddressUpdatedData>;

export type CustomerEvent = CustomerRegistered | CustomerAddressUpdated;
