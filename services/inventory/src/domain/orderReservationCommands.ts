import type { ReservationLine } from "./reservationLines.js";

/** Records what the order asks for; the procedure then takes the stock line by line. */
export interface RequestReservation {
  type: "RequestReservation";
  data: { orderId: string; lines: ReservationLine[] };
}

/** Every line's stock is held: the order is reserved. */
export interface ConfirmReservation {
  type: "ConfirmReservation";
  data: { orderId: string };
}

/** A line lacked stock and every hold was given back: the order is rejected. */
export interface RejectReservation {
  type: "RejectReservation";
  data: { orderId: string; reason: string; shortProductIds: string[] };
}

/** The order's holds were given back. */
export interface ReleaseReservation {
  type: "ReleaseReservation";
  data: { orderId: string };
}

export type OrderReservationCommand = RequestReservation | ConfirmReservation | RejectReservation | ReleaseReservation;
