import {
  OrderingCommandServiceService,
  OrderingQueryServiceService,
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
import type { UnaryCall } from "@bazaar/runtime";
import { joinClients, type Connect, type ContextAddresses } from "./connect.js";

/** The gateway's view of ordering: what its routes call. */
export interface OrderingClient {
  placeOrder: UnaryCall<PlaceOrderRequest, PlaceOrderResponse>;
  cancelOrder: UnaryCall<CancelOrderRequest, CancelOrderResponse>;
  getOrder: UnaryCall<GetOrderRequest, GetOrderResponse>;
  getOrderDetails: UnaryCall<GetOrderDetailsRequest, GetOrderDetailsResponse>;
  listCustomerOrders: UnaryCall<ListCustomerOrdersRequest, ListCustomerOrdersResponse>;
  close(): void;
}

/** What only the gateway's sagas call on ordering (their steps). */
export interface OrderingSagaClient extends Pick<OrderingClient, "placeOrder" | "cancelOrder"> {
  confirmOrder: UnaryCall<ConfirmOrderRequest, ConfirmOrderResponse>;
  rejectOrder: UnaryCall<RejectOrderRequest, RejectOrderResponse>;
  applyProductRename: UnaryCall<ApplyProductRenameRequest, ApplyProductRenameResponse>;
}

export const createOrderingClient = (connect: Connect, addresses: ContextAddresses): OrderingClient & OrderingSagaClient =>
  joinClients(connect(OrderingCommandServiceService, addresses.commandAddress), connect(OrderingQueryServiceService, addresses.queryAddress));
