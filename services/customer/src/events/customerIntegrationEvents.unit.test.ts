import { decodeIntegrationEvent } from "@bazaar/contracts/events";
import { emittedEvent, refusedFields } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import type { CustomerCommand } from "../domain/customerCommands.js";
import { customerDecider } from "../domain/customerDecider.js";
import type { Address, CustomerEvent } from "../domain/customerEvents.js";
import { decodeCustomerEvent, publishedCustomerBody } from "./customerIntegrationEvents.js";

const customerId = "0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f";
const home: Address = { line1: "Hauptstraße 1", line2: "", postalCode: "10115", city: "Berlin", country: "DE" };
const office: Address = { line1: "1 Main Street", line2: "Suite 200", postalCode: "SW1A 1AA", city: "London", country: "GB" };
const register: CustomerCommand = { type: "RegisterCustomer", data: { customerId, name: "Ada Lovelace", email: "Ada@Example.com ", address: home } };

const emitted = (history: CustomerCommand[], command: CustomerCommand): CustomerEvent => emittedEvent(customerDecider, history, command);

const wire = (event: CustomerEvent): unknown => JSON.parse(JSON.stringify(publishedCustomerBody(event)));

describe("the customer context's integration events: what the decider emits, as other contexts decode it", () => {
  it("CustomerRegistered, the email normalised, an empty second address line read back empty", () => {
    const event = emitted([], register);
    expect(decodeIntegrationEvent("customer.CustomerRegistered.v1", wire(event))).toEqual({
      customerId,
      name: "Ada Lovelace",
      email: "ada@example.com",
      address: home,
    });
    expect(decodeCustomerEvent({ type: event.type, data: wire(event) })).toEqual(event);
    expect(decodeCustomerEvent({ type: event.type, data: JSON.parse(JSON.stringify(event.data)) })).toEqual(event);
  });

  it("CustomerAddressUpdated", () => {
    const event = emitted([register], { type: "ChangeCustomerAddress", data: { customerId, address: office } });
    expect(decodeIntegrationEvent("customer.CustomerAddressUpdated.v1", wire(event))).toEqual({ customerId, address: office });
    expect(decodeCustomerEvent({ type: event.type, data: wire(event) })).toEqual(event);
  });

  it("refuses an event without its address, or with a field that does not decode, naming the field", () => {
    const refused = (type: CustomerEvent["type"], data: unknown) => refusedFields(() => decodeCustomerEvent({ type, data }));
    expect(refused("customer.CustomerAddressUpdated.v1", { customerId })).toEqual(["address"]);
    expect(refused("customer.CustomerRegistered.v1", { customerId, name: "Ada", email: "a@b.c", address: { ...home, postalCode: 10115 } })).toEqual([
      "address.postalCode",
    ]);
  });
});
