import { OrderFlow, OrderStatus, type Order, type ProductDetails } from "@bazaar/contracts/ordering/v1";
import { z } from "zod";
import { MoneyOut, productDataFields } from "../openapi/schemas.js";

const STATUS: Record<OrderStatus, OrderView["status"]> = {
  [OrderStatus.ORDER_STATUS_UNSPECIFIED]: "UNKNOWN",
  [OrderStatus.ORDER_STATUS_PENDING]: "PENDING",
  [OrderStatus.ORDER_STATUS_CONFIRMED]: "CONFIRMED",
  [OrderStatus.ORDER_STATUS_REJECTED]: "REJECTED",
  [OrderStatus.ORDER_STATUS_CANCELLED]: "CANCELLED",
  [OrderStatus.UNRECOGNIZED]: "UNKNOWN",
};

const FLOW: Record<OrderFlow, OrderView["flow"]> = {
  [OrderFlow.ORDER_FLOW_UNSPECIFIED]: "UNKNOWN",
  [OrderFlow.ORDER_FLOW_ASYNC]: "ASYNC",
  [OrderFlow.ORDER_FLOW_SYNC]: "SYNC",
  [OrderFlow.UNRECOGNIZED]: "UNKNOWN",
};

export const OrderResource = z
  .object({
    id: z.string(),
    customerId: z.string(),
    lines: z.array(
      z.object({
        productId: z.string(),
        quantity: z.number().int(),
        productName: z.string().describe("From ordering's local replica, kept current on renames"),
        unitPrice: MoneyOut.optional(),
      }),
    ),
    status: z.enum(["PENDING", "CONFIRMED", "REJECTED", "CANCELLED", "UNKNOWN"]),
    flow: z.enum(["ASYNC", "SYNC", "UNKNOWN"]),
    total: MoneyOut.optional(),
    reason: z.string().optional().describe("Why it was rejected or cancelled"),
    placedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: "Order" });

export const ProductDetailsResource = z
  .object({
    productId: z.string(),
    ...productDataFields,
    status: z.string(),
  })
  .meta({ id: "ProductDetails" });

type OrderView = z.output<typeof OrderResource>;

export const OrderDetailsResource = OrderResource.extend({
  products: z.record(z.string(), ProductDetailsResource).describe("Fetched from the catalog at read time, by product id"),
  degraded: z.boolean().describe("True when the catalog could not be asked: only the local copy is shown"),
  degradedReason: z.string().optional(),
}).meta({ id: "OrderDetails" });

export const toOrderResource = (order: Order | undefined): OrderView => {
  if (!order) throw new Error("ordering answered without an order");
  return {
    id: order.orderId,
    customerId: order.customerId,
    lines: order.lines.map((line) => ({ productId: line.productId, quantity: line.quantity, productName: line.productName, unitPrice: line.unitPrice })),
    status: STATUS[order.status],
    flow: FLOW[order.flow],
    total: order.total,
    ...(order.reason ? { reason: order.reason } : {}),
    placedAt: order.placedAt,
    version: order.version,
  };
};

export const toProductDetails = (details: ProductDetails): ProductDetails => ({ ...details });
