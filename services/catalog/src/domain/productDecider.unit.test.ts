import { AlreadyExistsError, ValidationError } from "@bazaar/core";
import { deciderSpec } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import type { CreateProduct } from "./productCommands.js";
import { productDecider } from "./productDecider.js";
import type { ProductCreated } from "./productEvents.js";

const spec = deciderSpec(productDecider);

const create = (overrides: Partial<CreateProduct["data"]> = {}): CreateProduct => ({
  type: "CreateProduct",
  data: {
    productId: "0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f",
    sku: "SKU-1",
    name: "Blue mug",
    description: "Stoneware, 350 ml",
    category: "kitchen",
    price: { amount: 1299, currency: "EUR" },
    attributes: { colour: "blue" },
    ...overrides,
  },
});

const created = (command: CreateProduct): ProductCreated => ({ type: "catalog.ProductCreated.v1", data: command.data });

describe("product decider", () => {
  it("creates a product that does not exist yet", () => {
    spec.given([]).when(create()).then([created(create())]);
  });

  it("trims the name it records", () => {
    spec.given([]).when(create({ name: "  Blue mug " })).then([created(create({ name: "Blue mug" }))]);
  });

  it("refuses to create a product twice", () => {
    spec.given([created(create())]).when(create()).thenThrows(AlreadyExistsError);
  });

  it("refuses a blank name, naming the field", () => {
    spec.given([]).when(create({ name: "   " })).thenThrows(ValidationError, { violations: [{ field: "name", message: "must not be blank" }] });
  });

  it.each([
    ["zero", 0],
    ["negative", -5],
    ["fractional", 12.5],
  ])("refuses a %s price", (_label, amount) => {
    spec.given([]).when(create({ price: { amount, currency: "EUR" } })).thenThrows(ValidationError, {
      violations: [expect.objectContaining({ field: "price.amount" })],
    });
  });

  it("refuses a currency that is not an ISO code", () => {
    spec.given([]).when(create({ price: { amount: 100, currency: "euro" } })).thenThrows(ValidationError, {
      violations: [expect.objectContaining({ field: "price.currency" })],
    });
  });

  it("reports every violation at once", () => {
    spec.given([]).when(create({ sku: "", name: "", category: "" })).thenThrows(ValidationError, {
      violations: [
        expect.objectContaining({ field: "sku" }),
        expect.objectContaining({ field: "name" }),
        expect.objectContaining({ field: "category" }),
      ],
    });
  });
});
