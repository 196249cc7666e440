import { fold, RuleViolationError, ValidationError } from "@bazaar/core";
import { deciderSpec } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import { availableOf, InsufficientStockError, reservedOf, stockItemDecider } from "./stockItemDecider.js";
import type { StockAdded, StockItemReleased, StockItemReserved } from "./stockItemEvents.js";

const spec = deciderSpec(stockItemDecider);
const productId = "0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f";
const orderA = "a1111111-1111-4111-8111-111111111111";
const orderB = "b2222222-2222-4222-8222-222222222222";

const added = (quantity: number): StockAdded => ({ type: "inventory.StockAdded.v1", data: { productId, quantity } });
const reserved = (orderId: string, quantity: number): StockItemReserved => ({ type: "inventory.StockItemReserved.v1", data: { productId, orderId, quantity } });
const released = (orderId: string, quantity: number): StockItemReleased => ({ type: "inventory.StockItemReleased.v1", data: { productId, orderId, quantity } });

describe("stock item decider", () => {
  describe("Restock", () => {
    it("adds stock", () => {
      spec
        .given([])
        .when({ type: "Restock", data: { productId, quantity: 10 } })
        .then([added(10)]);
    });

    it("adds to what is on hand", () => {
      spec
        .given([added(3), reserved(orderA, 2)])
        .when({ type: "Restock", data: { productId, quantity: 1_000_000_000 } })
        .then([added(1_000_000_000)]);
    });

    it.each([
      ["zero", 0],
      ["negative", -1],
      ["fractional", 1.5],
      ["above one billion", 1_000_000_001],
    ])("refuses a %s quantity, naming the field", (_label, quantity) => {
      spec
        .given([])
        .when({ type: "Restock", data: { productId, quantity } })
        .thenThrows(ValidationError, { violations: [expect.objectContaining({ field: "quantity" })] });
    });
  });

  describe("ReserveStock", () => {
    it("holds available stock for an order", () => {
      spec
        .given([added(10)])
        .when({ type: "ReserveStock", data: { productId, orderId: orderA, quantity: 4 } })
        .then([reserved(orderA, 4)]);
    });

    it("may hold exactly what is available", () => {
      spec
        .given([added(10), reserved(orderA, 6)])
        .when({ type: "ReserveStock", data: { productId, orderId: orderB, quantity: 4 } })
        .then([reserved(orderB, 4)]);
    });

    it("is idempotent per order: no second hold", () => {
      spec
        .given([added(10), reserved(orderA, 4)])
        .when({ type: "ReserveStock", data: { productId, orderId: orderA, quantity: 4 } })
        .then([]);
    });

    it("refuses more than is available (on hand minus other orders' holds): stock never goes negative", () => {
      spec
        .given([added(10), reserved(orderA, 7)])
        .when({ type: "ReserveStock", data: { productId, orderId: orderB, quantity: 4 } })
        .thenThrows(InsufficientStockError, { productId, requested: 4, available: 3 });
    });

    it("refuses any reservation of a product never restocked", () => {
      spec
        .given([])
        .when({ type: "ReserveStock", data: { productId, orderId: orderA, quantity: 1 } })
        .thenThrows(RuleViolationError);
    });

    it("counts released stock as available again", () => {
      spec
        .given([added(5), reserved(orderA, 5), released(orderA, 5)])
        .when({ type: "ReserveStock", data: { productId, orderId: orderB, quantity: 5 } })
        .then([reserved(orderB, 5)]);
    });

    it("refuses a quantity that is not a positive integer", () => {
      spec
        .given([added(5)])
        .when({ type: "ReserveStock", data: { productId, orderId: orderA, quantity: 0 } })
        .thenThrows(ValidationError, { violations: [expect.objectContaining({ field: "quantity" })] });
    });
  });

  describe("ReleaseStock", () => {
    it("gives the order's hold back, with its quantity", () => {
      spec
        .given([added(10), reserved(orderA, 4)])
        .when({ type: "ReleaseStock", data: { productId, orderId: orderA } })
        .then([released(orderA, 4)]);
    });

    it("is a no-op for an order that holds nothing here", () => {
      spec
        .given([added(10), reserved(orderB, 4)])
        .when({ type: "ReleaseStock", data: { productId, orderId: orderA } })
        .then([]);
    });

    it("is idempotent: a second release changes nothing", () => {
      spec
        .given([added(10), reserved(orderA, 4), released(orderA, 4)])
        .when({ type: "ReleaseStock", data: { productId, orderId: orderA } })
        .then([]);
    });
  });

  it("folds on hand, reserved and available", () => {
    const state = fold(stockItemDecider, [added(10), reserved(orderA, 4), reserved(orderB, 3), released(orderA, 4), added(2)]);
    expect(state).toEqual({ onHand: 12, reservations: { [orderB]: 3 } });
    expect(reservedOf(state)).toBe(3);
    expect(availableOf(state)).toBe(9);
  });
});
