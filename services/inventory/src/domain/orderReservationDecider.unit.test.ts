import { RuleViolationError, ValidationError } from "@bazaar/core";
import { deciderSpec } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import type { OrderReservationCommand } from "./orderReservationCommands.js";
import { orderReservationDecider } from "./orderReservationDecider.js";
import type { StockReleased, StockReservationRejected, StockReservationRequested, StockReserved } from "./orderReservationEvents.js";

const spec = deciderSpec(orderReservationDecider);
const orderId = "a1111111-1111-4111-8111-111111111111";
const p1 = "0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f";
const p2 = "9e8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f";
const lines = [
  { productId: p1, quantity: 2 },
  { productId: p2, quantity: 1 },
];

const requested: StockReservationRequested = { type: "inventory.StockReservationRequested.v1", data: { orderId, lines } };
const reservedEvent: StockReserved = { type: "inventory.StockReserved.v1", data: { orderId, lines } };
const rejected: StockReservationRejected = {
  type: "inventory.StockReservationRejected.v1",
  data: { orderId, lines, reason: "insufficient stock", shortProductIds: [p2] },
};
const released: StockReleased = { type: "inventory.StockReleased.v1", data: { orderId, lines } };

const request = (requestLines = lines): OrderReservationCommand => ({ type: "RequestReservation", data: { orderId, lines: requestLines } });
const confirm: OrderReservationCommand = { type: "ConfirmReservation", data: { orderId } };
const reject: OrderReservationCommand = { type: "RejectReservation", data: { orderId, reason: "insufficient stock", shortProductIds: [p2] } };
const release: OrderReservationCommand = { type: "ReleaseReservation", data: { orderId } };

describe("order reservation decider", () => {
  describe("RequestReservation", () => {
    it("records the order's lines before any stock is taken", () => {
      spec.given([]).when(request()).then([requested]);
    });

    it("records lines canonical: ids lower-case, duplicates merged, sorted by product id", () => {
      spec
        .given([])
        .when(
          request([
            { productId: p2, quantity: 1 },
            { productId: p1.toUpperCase(), quantity: 1 },
            { productId: p1, quantity: 1 },
          ]),
        )
        .then([requested]);
    });

    it.each([
      ["pending (a retry resumes)", [requested]],
      ["reserved", [requested, reservedEvent]],
      ["rejected", [requested, rejected]],
      ["released (never re-reserved)", [requested, reservedEvent, released]],
    ])("records nothing when the order is already %s", (_label, history) => {
      spec.given(history).when(request()).then([]);
    });

    it("refuses an order without lines", () => {
      spec
        .given([])
        .when(request([]))
        .thenThrows(ValidationError, { violations: [{ field: "lines", message: "must have at least one line" }] });
    });

    it("names every bad line's field", () => {
      spec
        .given([])
        .when(
          request([
            { productId: p1, quantity: 1 },
            { productId: "not-a-uuid", quantity: 0 },
            { productId: p2, quantity: 2.5 },
          ]),
        )
        .thenThrows(ValidationError, {
          violations: [
            expect.objectContaining({ field: "lines[1].productId" }),
            expect.objectContaining({ field: "lines[1].quantity" }),
            expect.objectContaining({ field: "lines[2].quantity" }),
          ],
        });
    });

    it("validates even when the order was already decided", () => {
      spec.given([requested, reservedEvent]).when(request([])).thenThrows(ValidationError);
    });
  });

  // Confirming and rejecting settle a pending order the same way: once, and only a requested one.
  describe.each([
    { command: confirm, settles: "reserves a pending order with its recorded lines", event: reservedEvent },
    { command: reject, settles: "rejects a pending order, naming the short products", event: rejected },
  ])("$command.type", ({ command, settles, event }) => {
    it(settles, () => {
      spec.given([requested]).when(command).then([event]);
    });

    it.each([
      ["reserved", [requested, reservedEvent]],
      ["rejected", [requested, rejected]],
      ["released", [requested, reservedEvent, released]],
    ])("records nothing when the order is already %s", (_label, history) => {
      spec.given(history).when(command).then([]);
    });

    it("refuses an order never requested", () => {
      spec.given([]).when(command).thenThrows(RuleViolationError);
    });
  });

  describe("ReleaseReservation", () => {
    it("releases a reserved order's lines", () => {
      spec.given([requested, reservedEvent]).when(release).then([released]);
    });

    it("releases a pending order's lines (a reservation cut short)", () => {
      spec.given([requested]).when(release).then([released]);
    });

    it.each([
      ["unknown", []],
      ["rejected", [requested, rejected]],
      ["already released", [requested, reservedEvent, released]],
    ])("is a no-op when the order is %s", (_label, history) => {
      spec.given(history).when(release).then([]);
    });
  });
});
