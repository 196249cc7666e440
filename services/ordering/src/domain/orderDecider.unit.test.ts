import { AlreadyExistsError, NotFoundError, RuleViolationError, ValidationError } from "@bazaar/core";
import { deciderSpec } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import type { PlaceOrder } from "./orderCommands.js";
import { orderDecider } from "./orderDecider.js";
import type { OrderEvent, OrderLine } from "./orderEvents.js";

const spec = deciderSpec(orderDecider);
const orderId = "5a1c2b3d-0000-4000-8000-000000000001";
const mug = "5a1c2b3d-0000-4000-8000-00000000000a";
const plate = "5a1c2b3d-0000-4000-8000-00000000000b";
const line = (productId: string, quantity: number, productName = "Blue mug", amount = 1299): OrderLine => ({
  productId,
  quantity,
  productName,
  unitPrice: { amount, currency: "EUR" },
});
const place = (lines: OrderLine[] = [line(mug, 2)]): PlaceOrder => ({
  type: "PlaceOrder",
  data: { orderId, customerId: "5a1c2b3d-0000-4000-8000-0000000000c1", lines, flow: "async", placedAt: "2026-11-26T10:00:00.000Z" },
});
const placed = (lines?: OrderLine[]): OrderEvent => ({ type: "ordering.OrderPlaced.v1", data: place(lines).data });
const confirmed: OrderEvent = { type: "ordering.OrderConfirmed.v1", data: { orderId } };
const rejected: OrderEvent = { type: "ordering.OrderRejected.v1", data: { orderId, reason: "insufficient stock" } };
const cancelled: OrderEvent = { type: "ordering.OrderCancelled.v1", data: { orderId, reason: "changed mind" } };
const confirm = (reservedLines = [{ productId: mug, quantity: 2 }]) => ({ type: "ConfirmOrder" as const, data: { reservedLines } });

describe("placing an order", () => {
  it("places an order with its lines", () => {
    spec.given([]).when(place()).then([placed()]);
  });

  it("is idempotent for the same lines and refuses other lines under the same id", () => {
    spec.given([placed()]).when(place()).then([]);
    spec
      .given([placed()])
      .when(place([line(mug, 3)]))
      .thenThrows(AlreadyExistsError);
  });

  it("needs at least one line, positive quantities and one line per product", () => {
    spec
      .given([])
      .when(place([]))
      .thenThrows(ValidationError, { violations: [{ field: "lines", message: "must have at least one line" }] });
    spec
      .given([])
      .when(place([line(mug, 0)]))
      .thenThrows(ValidationError, { violations: [expect.objectContaining({ field: "lines[0].quantity" })] });
    spec
      .given([])
      .when(place([line(mug, -1), line(plate, 1.5)]))
      .thenThrows(ValidationError, {
        violations: [expect.objectContaining({ field: "lines[0].quantity" }), expect.objectContaining({ field: "lines[1].quantity" })],
      });
    spec
      .given([])
      .when(place([line(mug, 1), line(mug, 2)]))
      .thenThrows(ValidationError, { violations: [expect.objectContaining({ field: "lines[1].productId" })] });
  });

  it("prices an order in one currency", () => {
    const usd = { ...line(plate, 1), unitPrice: { amount: 500, currency: "USD" } };
    spec
      .given([])
      .when(place([line(mug, 1), usd]))
      .thenThrows(RuleViolationError);
  });
});

describe("the order's state machine", () => {
  it("confirms a pending order only with stock reserved for every line", () => {
    spec.given([placed()]).when(confirm()).then([confirmed]);
    spec
      .given([placed()])
      .when(confirm([{ productId: mug, quantity: 1 }]))
      .thenThrows(RuleViolationError, { message: expect.stringContaining("not reserved") });
    spec
      .given([placed([line(mug, 1), line(plate, 1)])])
      .when(confirm([{ productId: mug, quantity: 1 }]))
      .thenThrows(RuleViolationError);
  });

  it("confirms once, and never a rejected or cancelled order", () => {
    spec.given([placed(), confirmed]).when(confirm()).then([]);
    spec.given([placed(), rejected]).when(confirm()).thenThrows(RuleViolationError);
    spec.given([placed(), cancelled]).when(confirm()).thenThrows(RuleViolationError);
  });

  it("rejects a pending order once, never a confirmed one", () => {
    spec
      .given([placed()])
      .when({ type: "RejectOrder", data: { reason: "insufficient stock" } })
      .then([rejected]);
    spec
      .given([placed(), rejected])
      .when({ type: "RejectOrder", data: { reason: "again" } })
      .then([]);
    spec
      .given([placed(), confirmed])
      .when({ type: "RejectOrder", data: { reason: "late" } })
      .thenThrows(RuleViolationError);
  });

  it("cancels a pending or confirmed order once, never a rejected one", () => {
    spec
      .given([placed()])
      .when({ type: "CancelOrder", data: { reason: "changed mind" } })
      .then([cancelled]);
    spec
      .given([placed(), confirmed])
      .when({ type: "CancelOrder", data: { reason: "changed mind" } })
      .then([cancelled]);
    spec
      .given([placed(), cancelled])
      .when({ type: "CancelOrder", data: { reason: "again" } })
      .then([]);
    spec
      .given([placed(), rejected])
      .when({ type: "CancelOrder", data: { reason: "x" } })
      .thenThrows(RuleViolationError);
  });

  it("answers NOT_FOUND for an order that does not exist", () => {
    spec.given([]).when(confirm()).thenThrows(NotFoundError);
    spec
      .given([])
      .when({ type: "CancelOrder", data: { reason: "x" } })
      .thenThrows(NotFoundError);
  });
});

describe("renames carried into the order", () => {
  const rename = (name: string, catalogVersion: number, productId = mug) => ({
    type: "RenameOrderProduct" as const,
    data: { productId, name, catalogVersion },
  });

  it("records a newer name of a product on the order", () => {
    spec
      .given([placed()])
      .when(rename("Red mug", 2))
      .then([{ type: "ordering.OrderProductRenamed.v1", data: { orderId, productId: mug, name: "Red mug", catalogVersion: 2 } }]);
  });

  it("ignores an older or repeated rename, and products not on the order", () => {
    const renamed: OrderEvent = { type: "ordering.OrderProductRenamed.v1", data: { orderId, productId: mug, name: "Red mug", catalogVersion: 3 } };
    spec.given([placed(), renamed]).when(rename("Green mug", 2)).then([]);
    spec.given([placed(), renamed]).when(rename("Red mug", 3)).then([]);
    spec
      .given([placed()])
      .when(rename("Plate", 2, plate))
      .then([]);
  });

  it("renames also orders that are already confirmed or cancelled: history shows current names", () => {
    spec
      .given([placed(), confirmed, cancelled])
      .when(rename("Red mug", 2))
      .then([{ type: "ordering.OrderProductRenamed.v1", data: { orderId, productId: mug, name: "Red mug", catalogVersion: 2 } }]);
  });
});
