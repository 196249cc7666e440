import { remainingBudgetMs } from "../http/requestBudget.js";
import {
  OrderingCommandServiceClient,
  OrderingQueryServiceClient,
  type ApplyProductRenameRequest,
  type ApplyProductRenameResponse,
  type CancelOrderRequest,
  type CancelOrderResponse,
  type ConfirmOrderRequest,
  type ConfirmOrderResponse,
  type GetOrderDetailsRequest,
  type GetOrderDetailsResponse,
  type GetOrderRequest,
  type GetOrderResponse,
  type ListCustomerOrdersRequest,
  type ListCustomerOrdersResponse,
  type PlaceOrderRequest,
  type PlaceOrderResponse,
  type RejectOrderRequest,
  type RejectOrderResponse,
} from "@bazaar/contracts/ordering/v1";
import { callUnary } from "@bazaar/runtime";
import { credentials, type Metadata } from "@grpc/grpc-js";

/** The gateway's view of ordering: what its routes call. */
export interface OrderingClient {
  placeOrder(request: PlaceOrderRequest, metadata: Metadata): Promise<PlaceOrderResponse>;
  cancelOrder(request: CancelOrderRequest, metadata: Metadata): Promise<CancelOrderResponse>;
  getOrder(request: GetOrderRequest, metadata: Metadata): Promise<GetOrderResponse>;
  getOrderDetails(request: GetOrderDetailsRequest, metadata: Metadata): Promise<GetOrderDetailsResponse>;
  listCustomerOrders(request: ListCustomerOrdersRequest, metadata: Metadata): Promise<ListCustomerOrdersResponse>;
  close(): void;
}

/** What only the gateway's sagas call on ordering (their steps). */
export interface OrderingSagaClient {
  placeOrder(request: PlaceOrderRequest, metadata: Metadata): Promise<PlaceOrderResponse>;
  cancelOrder(request: CancelOrderRequest, metadata: Metadata): Promise<CancelOrderResponse>;
  confirmOrder(request: ConfirmOrderRequest, metadata: Metadata): Promise<ConfirmOrderResponse>;
  rejectOrder(request: RejectOrderRequest, metadata: Metadata): Promise<RejectOrderResponse>;
  applyProductRename(request: ApplyProductRenameRequest, metadata: Metadata): Promise<ApplyProductRenameResponse>;
}

export const createOrderingClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number }): OrderingClient & OrderingSagaClient => {
  const commands = new OrderingCommandServiceClient(settings.commandAddress, credentials.createInsecure());
  const queries = new OrderingQueryServiceClient(settings.queryAddress, credentials.createInsecure());
  const timeoutMs = settings.timeoutMs;
  return {
    placeOrder: (request, metadata) => callUnary(commands.placeOrder.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    cancelOrder: (request, metadata) => callUnary(commands.cancelOrder.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    confirmOrder: (request, metadata) => callUnary(commands.confirmOrder.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    rejectOrder: (request, metadata) => callUnary(commands.rejectOrder.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    applyProductRename: (request, metadata) => callUnary(commands.applyProductRename.bind(commands), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getOrder: (request, metadata) => callUnary(queries.getOrder.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    getOrderDetails: (request, metadata) => callUnary(queries.getOrderDetails.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    listCustomerOrders: (request, metadata) => callUnary(queries.listCustomerOrders.bind(queries), request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata }),
    close() {
      commands.close();
      queries.close();
    },
  };
};
