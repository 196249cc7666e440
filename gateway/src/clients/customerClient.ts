import { remainingBudgetMs } from "../http/requestBudget.js";
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
import { callUnary } from "@bazaar/runtime";
import { credentials, type Metadata } from "@grpc/grpc-js";

/** The gateway's view of the customer context. */
export interface CustomerClient {
  registerCustomer(request: RegisterCustomerRequest, metadata: Metadata): Promise<RegisterCustomerResponse>;
  changeCustomerAddress(request: ChangeCustomerAddressRequest, metadata: Metadata): Promise<ChangeCustomerAddressResponse>;
  getCustomer(request: GetCustomerRequest, metadata: Metadata): Promise<GetCustomerResponse>;
  close(): void;
}

export const createCustomerClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number }): CustomerClient => {
  const commands = new CustomerCommandServiceClient(settings.commandAddress, credentials.createInsecure());
  const queries = new CustomerQueryServiceClient(settings.queryAddress, credentials.createInsecure());
  const timeoutMs = settings.timeoutMs;
  return {
    registerCustomer: (request, metadata) => callUnary(commands.registerCustomer.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    changeCustomerAddress: (request, metadata) => callUnary(commands.changeCustomerAddress.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getCustomer: (request, metadata) => callUnary(queries.getCustomer.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    close() {
      commands.close();
      queries.close();
    },
  };
};
