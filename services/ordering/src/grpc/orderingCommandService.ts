import { randomUUID } from "node:crypto";
import { collectViolations, parseId } from "@bazaar/core";
import { OrderFlow, OrderingCommandServiceService, OrderStatus, type OrderingCommandServiceServer } from "@bazaar/contracts/ordering/v1";
import { eventMetadataFrom, unary, type GrpcService, type Logger } from "@bazaar/runtime";
import type { OrderService } from "../application/orderService.js";
import type { OrderState } from "../domain/orderDecider.js";

const STATUS: Record<Exclude<OrderState["status"], "none">, OrderStatus> = {
  pending: OrderStatus.ORDER_STATUS_PENDING,
  confirmed: OrderStatus.ORDER_STATUS_CONFIRMED,
  rejected: OrderStatus.ORDER_STATUS_REJECTED,
  cancelled: OrderStatus.ORDER_STATUS_CANCELLED,
};

const position = (result: { streamId: string; version: number }) => ({ position: { streamId: result.streamId, version: result.version } });

/** Ordering's write API: orders, the steps the gateway's sagas call, and the sync rename. */
export const createOrderingCommandService = (deps: { orders: OrderService; logger: Logger }): GrpcService => {
  const { orders, logger } = deps;
  const implementation: OrderingCommandServiceServer = {
    placeOrder: unary(logger, async (request, metadata) => {
      const placed = collectViolations((v) => ({
        orderId: v.id(request.orderId || randomUUID(), "orderId"),
        customerId: v.id(request.customerId, "customerId"),
        lines: request.lines.map((line, i) => ({ productId: v.id(line.productId, `lines[${i}].productId`), quantity: line.quantity })),
        flow: request.flow === OrderFlow.ORDER_FLOW_SYNC ? ("sync" as const) : ("async" as const),
      }));
      const result = await orders.place(placed, eventMetadataFrom(metadata, randomUUID()));
      const state = result.state;
      if (state.status === "none") throw new Error("order not placed");
      return {
        order: {
          orderId: state.orderId,
          customerId: state.customerId,
          lines: state.lines,
          status: STATUS[state.status],
          flow: state.flow === "async" ? OrderFlow.ORDER_FLOW_ASYNC : OrderFlow.ORDER_FLOW_SYNC,
          total: { amount: state.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice.amount, 0), currency: state.lines[0]?.unitPrice.currency ?? "EUR" },
          reason: "reason" in state ? state.reason : "",
          placedAt: "",
          version: result.version,
        },
        ...position(result),
      };
    }),
    confirmOrder: unary(logger, async (request, metadata) => {
      const orderId = parseId(request.orderId, "orderId");
      return position(
        await orders.confirm(
          orderId,
          request.reservedLines.map((l) => ({ productId: l.productId.toLowerCase(), quantity: l.quantity })),
          eventMetadataFrom(metadata, randomUUID()),
        ),
      );
    }),
    rejectOrder: unary(logger, async (request, metadata) => {
      const orderId = parseId(request.orderId, "orderId");
      return position(await orders.reject(orderId, request.reason || "rejected", eventMetadataFrom(metadata, randomUUID())));
    }),
    cancelOrder: unary(logger, async (request, metadata) => {
      const orderId = parseId(request.orderId, "orderId");
      return position(await orders.cancel(orderId, request.reason || "cancelled by the customer", eventMetadataFrom(metadata, randomUUID())));
    }),
    applyProductRename: unary(logger, async (request) => {
      const productId = collectViolations((v) => {
        v.check(request.name.trim().length > 0, "name", "must not be blank");
        v.check(request.catalogVersion > 0, "catalogVersion", "must be positive");
        return v.id(request.productId, "productId");
      });
      return { applied: await orders.renameInReplica(productId, request.name.trim(), request.catalogVersion) };
    }),
  };
  return { name: "bazaar.ordering.v1.OrderingCommandService", definition: OrderingCommandServiceService, implementation };
};
