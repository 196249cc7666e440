import type { Address } from "./customerEvents.js";

export interface RegisterCustomer {
  type: "RegisterCustomer";
  data: { customerId: string; name: string; email: string; address: Address };
}

export interface ChangeCustomerAddress {
  type: "ChangeCustomerAddress";
  data: { customerId: string; address: Address };
}

export type CustomerCommand = RegisterCustomer | ChangeCustomerAddress;
