import { OrderFlow, OrderStatus, type Order } from "@bazaar/contracts/ordering/v1";
import type { OrderView } from "../query/orderQueries.js";

const STATUS: Record<OrderView["status"], OrderStatus> = {
  PENDING: OrderStatus.ORDER_STATUS_PENDING,
  CONFIRMED: OrderStatus.ORDER_STATUS_CONFIRMED,
  REJECTED: OrderStatus.ORDER_STATUS_REJECTED,
  CANCELLED: OrderStatus.ORDER_STATUS_CANCELLED,
};

export const toOrder = (view: OrderView): Order => ({
  orderId: view.orderId,
  customerId: view.customerId,
  lines: view.lines,
  status: STATUS[view.status],
  flow: view.flow === "async" ? OrderFlow.ORDER_FLOW_ASYNC : OrderFlow.ORDER_FLOW_SYNC,
  total: view.total,
  reason: view.reason,
  placedAt: view.placedAt,
  version: view.version,
});
