import type { OrderFlow, OrderLine } from "./orderEvents.js";

export interface ReservedLine {
  productId: string;
  quantity: number;
}

export type PlaceOrder = {
  type: "PlaceOrder";
  data: { orderId: string; customerId: string; lines: OrderLine[]; flow: OrderFlow; placedAt: string };
};
/** Confirm only with evidence that stock was reserved for every line. */
export type ConfirmOrder = { type: "ConfirmOrder"; data: { reservedLines: ReservedLine[] } };
export type RejectOrder = { type: "RejectOrder"; data: { reason: string } };
export type CancelOrder = { type: "CancelOrder"; data: { reason: string } };
export type RenameOrderProduct = { type: "RenameOrderProduct"; data: { productId: string; name: string; catalogVersion: number } };

export type OrderCommand = PlaceOrder | ConfirmOrder | RejectOrder | CancelOrder | RenameOrderProduct;
