import { remainingBudgetMs } from "../http/requestBudget.js";
import {
  OrderingCommandServiceClient,
  OrderingQueryServiceClient,
  type CancelOrderRequest,
  type CancelOrderResponse,
  type GetOrderDetailsRequest,
  type GetOrderDetailsResponse,
  type GetOrderRequest,
  type GetOrderResponse,
  type ListCustomerOrdersRequest,
  type ListCustomerOrdersResponse,
  type PlaceOrderRequest,
  type PlaceOrderResponse,
} from "@bazaar/contracts/ordering/v1";
import { callUnary } from "@bazaar/runtime";
import { credentials, type Metadata } from "@grpc/grpc-js";

/** The gateway's view of ordering (saga steps such as ConfirmOrder belong to the coordinator). */
export interface OrderingClient {
  placeOrder(request: PlaceOrderRequest, metadata: Metadata): Promise<PlaceOrderResponse>;
  cancelOrder(request: CancelOrderRequest, metadata: Metadata): Promise<CancelOrderResponse>;
  getOrder(request: GetOrderRequest, metadata: Metadata): Promise<GetOrderResponse>;
  getOrderDetails(request: GetOrderDetailsRequest, metadata: Metadata): Promise<GetOrderDetailsResponse>;
  listCustomerOrders(request: ListCustomerOrdersRequest, metadata: Metadata): Promise<ListCustomerOrdersResponse>;
  close(): void;
}

export const createOrderingClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number }): OrderingClient => {
  const commands = new OrderingCommandServiceClient(settings.commandAddress, credentials.createInsecure());
  const queries = new OrderingQueryServiceClient(settings.queryAddress, credentials.createInsecure());
  const timeoutMs = settings.timeoutMs;
  return {
    placeOrder: (request, metadata) => callUnary(commands.placeOrder.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    cancelOrder: (request, metadata) => callUnary(commands.cancelOrder.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getOrder: (request, metadata) => callUnary(queries.getOrder.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getOrderDetails: (request, metadata) => callUnary(queries.getOrderDetails.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    listCustomerOrders: (request, metadata) => callUnary(queries.listCustomerOrders.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    close() {
      commands.close();
      queries.close();
    },
  };
};
