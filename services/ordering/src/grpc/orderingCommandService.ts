import { randomUUID } from "node:crypto";
import { ValidationError, type FieldViolation } from "@bazaar/core";
import { OrderFlow, OrderingCommandServiceService, OrderStatus, type OrderingCommandServiceServer } from "@bazaar/contracts/ordering/v1";
import { eventMetadataFrom, unary, type GrpcService, type Logger } from "@bazaar/runtime";
import type { OrderService } from "../application/orderService.js";
import type { OrderState } from "../domain/orderDecider.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const uuid = (value: string, field: string, violations: FieldViolation[]): string => {
  if (!UUID.test(value)) violations.push({ field, message: "must be a UUID" });
  return value.toLowerCase();
};

const checked = <T>(build: (violations: FieldViolation[]) => T): T => {
  const violations: FieldViolation[] = [];
  const value = build(violations);
  if (violations.length > 0) throw new ValidationError(violations);
  return value;
};

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
      const placed = checked((violations) => ({
        orderId: uuid(request.orderId || randomUUID(), "orderId", violations),
        customerId: uuid(request.customerId, "customerId", violations),
        lines: request.lines.map((line, i) => ({ productId: uuid(line.productId, `lines[${i}].productId`, violations), quantity: line.quantity })),
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
      const orderId = checked((v) => uuid(request.orderId, "orderId", v));
      return position(await orders.confirm(orderId, request.reservedLines.map((l) => ({ productId: l.productId.toLowerCase(), quantity: l.quantity })), eventMetadataFrom(metadata, randomUUID())));
    }),
    rejectOrder: unary(logger, async (request, metadata) => {
      const orderId = checked((v) => uuid(request.orderId, "orderId", v));
      return position(await orders.reject(orderId, request.reason || "rejected", eventMetadataFrom(metadata, randomUUID())));
    }),
    cancelOrder: unary(logger, async (request, metadata) => {
      const orderId = checked((v) => uuid(request.orderId, "orderId", v));
      return position(await orders.cancel(orderId, request.reason || "cancelled by the customer", eventMetadataFrom(metadata, randomUUID())));
    }),
    applyProductRename: unary(logger, async (request) => {
      const productId = checked((violations) => {
        if (request.name.trim().length === 0) violations.push({ field: "name", message: "must not be blank" });
        if (!(request.catalogVersion > 0)) violations.push({ field: "catalogVersion", message: "must be positive" });
        return uuid(request.productId, "productId", violations);
      });
      return { applied: await orders.renameInReplica(productId, request.name.trim(), request.catalogVersion) };
    }),
  };
  return { name: "bazaar.ordering.v1.OrderingCommandService", definition: OrderingCommandServiceService, implementation };
};
