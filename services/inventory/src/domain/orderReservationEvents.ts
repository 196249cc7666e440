import type { DomainEvent } from "@bazaar/core";
import type { ReservationLine } from "./reservationLines.js";

export interface ReservationLinesData {
  orderId: string;
  lines: ReservationLine[];
}

export interface StockReservationRejectedData extends ReservationLinesData {
  reason: string;
  /** The products that lacked stock. */
  shortProductIds: string[];
}

/** Private to inventory: the order's lines are recorded before any stock is taken, so a release always knows what to give back. */
export type StockReservationRequested = DomainEvent<"inventory.StockReservationRequested.v1", ReservationLinesData>;
export type StockReserved = DomainEvent<"inventory.StockReserved.v1", ReservationLinesData>;
export type StockReservationRejected = DomainEvent<"inventory.StockReservationRejected.v1", StockReservationRejectedData>;
export type StockReleased = DomainEvent<"inventory.StockReleased.v1", ReservationLinesData>;

export type OrderReservationEvent = StockReservationRequested | StockReserved | StockReservationRejected | StockReleased;
