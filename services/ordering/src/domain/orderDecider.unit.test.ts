import { AlreadyExistsError, NotFoundError, RuleViolationError, ValidationError } from "@bazaar/core";
import { deciderSpec } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import type { OrderCommand, PlaceOrder } from "./orderCommands.js";
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

  const reject = (reason: string): OrderCommand => ({ type: "RejectOrder", data: { reason } });
  const cancel = (reason: string): OrderCommand => ({ type: "CancelOrder", data: { reason } });

  // Each command in each state it meets: the events it records, or the error it is refused with.
  it.each<[string, OrderEvent[], OrderCommand, OrderEvent[] | typeof RuleViolationError | typeof NotFoundError]>([
    ["confirms once", [placed(), confirmed], confirm(), []],
    ["never confirms a rejected order", [placed(), rejected], confirm(), RuleViolationError],
    ["never confirms a cancelled order", [placed(), cancelled], confirm(), RuleViolationError],
    ["rejects a pending order", [placed()], reject("insufficient stock"), [rejected]],
    ["rejects once", [placed(), rejected], reject("again"), []],
    ["never rejects a confirmed order", [placed(), confirmed], reject("late"), RuleViolationError],
    ["cancels a pending order", [placed()], cancel("changed mind"), [cancelled]],
    ["cancels a confirmed order", [placed(), confirmed], cancel("changed mind"), [cancelled]],
    ["cancels once", [placed(), cancelled], cancel("again"), []],
    ["never cancels a rejected order", [placed(), rejected], cancel("x"), RuleViolationError],
    ["answers NOT_FOUND to confirming an order that does not exist", [], confirm(), NotFoundError],
    ["answers NOT_FOUND to cancelling an order that does not exist", [], cancel("x"), NotFoundError],
  ])("%s", (_rule, given, when, outcome) => {
    const decided = spec.given(given).when(when);
    if (Array.isArray(outcome)) decided.then(outcome);
    else decided.thenThrows(outcome);
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
