import {
  CustomerCommandServiceClient,
  CustomerQueryServiceClient,
  type ChangeCustomerAddressRequest,
  type ChangeCustomerAddressResponse,
  type GetCustomerRequest,
  type GetCustomerResponse,
  type RegisterCustomerRequest,
  type RegisterCustomerResponse,
} from "@bazaar/contracts/customer/v1";
import { budgetedCall } from "./budgetedCall.js";
import { credentials, type ChannelOptions, type Metadata } from "@grpc/grpc-js";

/** The gateway's view of the customer context. */
export interface CustomerClient {
  registerCustomer(request: RegisterCustomerRequest, metadata: Metadata): Promise<RegisterCustomerResponse>;
  changeCustomerAddress(request: ChangeCustomerAddressRequest, metadata: Metadata): Promise<ChangeCustomerAddressResponse>;
  getCustomer(request: GetCustomerRequest, metadata: Metadata): Promise<GetCustomerResponse>;
  close(): void;
}

export const createCustomerClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number; clientOptions: ChannelOptions }): CustomerClient => {
  const commands = new CustomerCommandServiceClient(settings.commandAddress, credentials.createInsecure(), settings.clientOptions);
  const queries = new CustomerQueryServiceClient(settings.queryAddress, credentials.createInsecure(), settings.clientOptions);
  const call = budgetedCall(settings.timeoutMs);
  return {
    registerCustomer: call(commands.registerCustomer.bind(commands)),
    changeCustomerAddress: call(commands.changeCustomerAddress.bind(commands)),
    getCustomer: call(queries.getCustomer.bind(queries)),
    close() {
      commands.close();
      queries.close();
    },
  };
};
