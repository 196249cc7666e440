import {
  CustomerCommandServiceService,
  CustomerQueryServiceService,
  type ChangeCustomerAddressRequest,
  type ChangeCustomerAddressResponse,
  type GetCustomerRequest,
  type GetCustomerResponse,
  type RegisterCustomerRequest,
  type RegisterCustomerResponse,
} from "@bazaar/contracts/customer/v1";
import type { UnaryCall } from "@bazaar/runtime";
import { joinClients, type Connect, type ContextAddresses } from "./connect.js";

/** The gateway's view of the customer context. */
export interface CustomerClient {
  registerCustomer: UnaryCall<RegisterCustomerRequest, RegisterCustomerResponse>;
  changeCustomerAddress: UnaryCall<ChangeCustomerAddressRequest, ChangeCustomerAddressResponse>;
  getCustomer: UnaryCall<GetCustomerRequest, GetCustomerResponse>;
  close(): void;
}

export const createCustomerClient = (connect: Connect, addresses: ContextAddresses): CustomerClient =>
  joinClients(connect(CustomerCommandServiceService, addresses.commandAddress), connect(CustomerQueryServiceService, addresses.queryAddress));
