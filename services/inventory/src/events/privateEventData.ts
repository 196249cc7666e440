import { collectViolations, type Violations } from "@bazaar/core";
import type { ReservationLinesData } from "../domain/orderReservationEvents.js";
import type { StockItemReservationData } from "../domain/stockItemEvents.js";

/**
 * Decoders of the events only inventory reads (no message in events.proto: they never cross the
 * boundary). Strict like the contract's decoder: a field missing or of the wrong type is refused
 * with a ValidationError naming it.
 */

const fieldsOf = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const text = (v: Violations, value: unknown, field: string): string => {
  v.check(typeof value === "string", field, "must be a string");
  return typeof value === "string" ? value : "";
};

const count = (v: Violations, value: unknown, field: string): number => {
  v.check(Number.isSafeInteger(value), field, "must be an integer");
  return Number.isSafeInteger(value) ? (value as number) : 0;
};

const object = (v: Violations, value: unknown, field: string): Record<string, unknown> => {
  const fields = fieldsOf(value);
  v.check(fields !== undefined, field, "must be an object");
  return fields ?? {};
};

/** StockItemReserved / StockItemReleased: one order's hold on one product's stock. */
export const stockItemReservationData = (data: unknown): StockItemReservationData =>
  collectViolations((v) => {
    const d = object(v, data, "data");
    return { productId: text(v, d.productId, "productId"), orderId: text(v, d.orderId, "orderId"), quantity: count(v, d.quantity, "quantity") };
  });

/** StockReservationRequested: the order's lines, recorded before any stock is taken. */
export const reservationLinesData = (data: unknown): ReservationLinesData =>
  collectViolations((v) => {
    const d = object(v, data, "data");
    v.check(Array.isArray(d.lines), "lines", "must be a list");
    const lines = (Array.isArray(d.lines) ? (d.lines as unknown[]) : []).map((line, index) => {
      const l = object(v, line, `lines[${index}]`);
      return { productId: text(v, l.productId, `lines[${index}].productId`), quantity: count(v, l.quantity, `lines[${index}].quantity`) };
    });
    return { orderId: text(v, d.orderId, "orderId"), lines };
  });
