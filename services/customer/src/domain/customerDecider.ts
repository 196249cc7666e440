import { AlreadyExistsError, assertNever, NotFoundError, type Decider } from "@bazaar/core";
import type { CustomerCommand } from "./customerCommands.js";
import type { Address, CustomerEvent } from "./customerEvents.js";
import { normaliseAddress, normaliseEmail, normaliseName, sameAddress, validateAddress, validateRegistration } from "./customerRules.js";

export type CustomerState =
  | { status: "empty" }
  | {
      status: "registered";
      customerId: string;
      name: string;
      email: string;
      address: Address;
    };

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: () => ({ status: "empty" }),

  decide(command, state) {
    switch (command.type) {
      case "RegisterCustomer": {
        const { customerId, name, email, address } = command.data;
        if (state.status !== "empty") {
          // The same id with the same email is a retry of the registration (ids derive from the
          // caller's Idempotency-Key): the same outcome again, nothing new.
          if (state.email === normaliseEmail(email)) return [];
          throw new AlreadyExistsError(`customer ${customerId} already exists`);
        }
        validateRegistration(command.data);
        return [
          {
            type: "customer.CustomerRegistered.v1",
            data: { customerId, name: normaliseName(name), email: normaliseEmail(email), address: normaliseAddress(address) },
          },
        ];
      }
      case "ChangeCustomerAddress": {
        const { customerId } = command.data;
        if (state.status !== "registered") throw new NotFoundError(`customer ${customerId} not found`);
        validateAddress(command.data.address);
        const address = normaliseAddress(command.data.address);
        // Moving to where the customer already lives changes nothing: a retry stays a no-op.
        if (sameAddress(address, state.address)) return [];
        return [{ type: "customer.CustomerAddressUpdated.v1", data: { customerId, address } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case "customer.CustomerRegistered.v1": {
        const { customerId, name, email, address } = event.data;
        return { status: "registered", customerId, name, email, address };
      }
      case "customer.CustomerAddressUpdated.v1":
        return state.status === "registered" ? { ...state, address: event.data.address } : state;
      default:
        return assertNever(event);
    }
  },
};
