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
import { budgetedCall } from "./budgetedCall.js";
import { credentials, type ChannelOptions, type Metadata } from "@grpc/grpc-js";

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
export interface OrderingSagaClient extends Pick<OrderingClient, "placeOrder" | "cancelOrder"> {
  confirmOrder(request: ConfirmOrderRequest, metadata: Metadata): Promise<ConfirmOrderResponse>;
  rejectOrder(request: RejectOrderRequest, metadata: Metadata): Promise<RejectOrderResponse>;
  applyProductRename(request: ApplyProductRenameRequest, metadata: Metadata): Promise<ApplyProductRenameResponse>;
}

export const createOrderingClient = (settings: { commandAddress: string; queryAddress: string; timeoutMs: number; clientOptions: ChannelOptions }): OrderingClient & OrderingSagaClient => {
  const commands = new OrderingCommandServiceClient(settings.commandAddress, credentials.createInsecure(), settings.clientOptions);
  const queries = new OrderingQueryServiceClient(settings.queryAddress, credentials.createInsecure(), settings.clientOptions);
  const call = budgetedCall(settings.timeoutMs);
  return {
    placeOrder: call(commands.placeOrder.bind(commands)),
    cancelOrder: call(commands.cancelOrder.bind(commands)),
    confirmOrder: call(commands.confirmOrder.bind(commands)),
    rejectOrder: call(commands.rejectOrder.bind(commands)),
    applyProductRename: call(commands.applyProductRename.bind(commands)),
    getOrder: call(queries.getOrder.bind(queries)),
    getOrderDetails: call(queries.getOrderDetails.bind(queries)),
    listCustomerOrders: call(queries.listCustomerOrders.bind(queries)),
    close() {
      commands.close();
      queries.close();
    },
  };
};
