import { AlreadyExistsError, NotFoundError, RuleViolationError, ValidationError } from "@bazaar/core";
import { deciderSpec } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import { createProduct } from "../../../../test/fixtures/productCommands.js";
import type { CreateProduct } from "./productCommands.js";
import { productDecider } from "./productDecider.js";
import type { ProductCreated, ProductEvent } from "./productEvents.js";

const spec = deciderSpec(productDecider);

const created = (command: CreateProduct): ProductCreated => ({ type: "catalog.ProductCreated.v1", data: command.data });

describe("product decider", () => {
  it("creates a product that does not exist yet", () => {
    spec
      .given([])
      .when(createProduct())
      .then([created(createProduct())]);
  });

  it("trims the name it records", () => {
    spec
      .given([])
      .when(createProduct({ name: "  Blue mug " }))
      .then([created(createProduct({ name: "Blue mug" }))]);
  });

  it("takes the same create again (a retry: same id, same SKU) as done: nothing new", () => {
    spec
      .given([created(createProduct())])
      .when(createProduct({ sku: createProduct().data.sku.toLowerCase() }))
      .then([]);
  });

  it("refuses to create another product under an existing id", () => {
    spec
      .given([created(createProduct())])
      .when(createProduct({ sku: "OTHER-SKU" }))
      .thenThrows(AlreadyExistsError);
  });

  it("refuses a blank name, naming the field", () => {
    spec
      .given([])
      .when(createProduct({ name: "   " }))
      .thenThrows(ValidationError, { violations: [{ field: "name", message: "must not be blank" }] });
  });

  it.each([
    ["zero", 0],
    ["negative", -5],
    ["fractional", 12.5],
  ])("refuses a %s price", (_label, amount) => {
    spec
      .given([])
      .when(createProduct({ price: { amount, currency: "EUR" } }))
      .thenThrows(ValidationError, {
        violations: [expect.objectContaining({ field: "price.amount" })],
      });
  });

  it("refuses a currency that is not an ISO code", () => {
    spec
      .given([])
      .when(createProduct({ price: { amount: 100, currency: "euro" } }))
      .thenThrows(ValidationError, {
        violations: [expect.objectContaining({ field: "price.currency" })],
      });
  });

  it("reports every violation at once", () => {
    spec
      .given([])
      .when(createProduct({ sku: "", name: "", category: "" }))
      .thenThrows(ValidationError, {
        violations: [expect.objectContaining({ field: "sku" }), expect.objectContaining({ field: "name" }), expect.objectContaining({ field: "category" })],
      });
  });
});

const id = "0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f";
const existing = created(createProduct());
const discontinued: ProductEvent = { type: "catalog.ProductDiscontinued.v1", data: { productId: id } };

describe("renaming a product", () => {
  it("renames, recording the previous name", () => {
    spec
      .given([existing])
      .when({ type: "RenameProduct", data: { name: " Red mug " } })
      .then([{ type: "catalog.ProductRenamed.v1", data: { productId: id, name: "Red mug", previousName: "Blue mug" } }]);
  });

  it("does nothing when the name is unchanged (idempotent)", () => {
    spec
      .given([existing])
      .when({ type: "RenameProduct", data: { name: "Blue mug" } })
      .then([]);
  });

  it("refuses a blank name", () => {
    spec
      .given([existing])
      .when({ type: "RenameProduct", data: { name: "" } })
      .thenThrows(ValidationError, { violations: [expect.objectContaining({ field: "name" })] });
  });

  it("refuses an unknown product", () => {
    spec
      .given([])
      .when({ type: "RenameProduct", data: { name: "Red mug" } })
      .thenThrows(NotFoundError);
  });

  it("refuses a discontinued product", () => {
    spec
      .given([existing, discontinued])
      .when({ type: "RenameProduct", data: { name: "Red mug" } })
      .thenThrows(RuleViolationError);
  });
});

describe("changing a price", () => {
  const price = (amount: number, currency = "EUR") => ({ type: "ChangeProductPrice" as const, data: { price: { amount, currency } } });

  it("changes the price, recording the previous one", () => {
    spec
      .given([existing])
      .when(price(1499))
      .then([
        {
          type: "catalog.ProductPriceChanged.v1",
          data: { productId: id, price: { amount: 1499, currency: "EUR" }, previousPrice: { amount: 1299, currency: "EUR" } },
        },
      ]);
  });

  it("does nothing for the same price", () => {
    spec.given([existing]).when(price(1299)).then([]);
  });

  it("refuses a zero or negative price", () => {
    spec
      .given([existing])
      .when(price(0))
      .thenThrows(ValidationError, { violations: [expect.objectContaining({ field: "price.amount" })] });
    spec.given([existing]).when(price(-1)).thenThrows(ValidationError);
  });

  it("keeps the currency fixed per product", () => {
    spec
      .given([existing])
      .when(price(1299, "USD"))
      .thenThrows(RuleViolationError, { message: expect.stringContaining("fixed: EUR") });
  });

  it("refuses a discontinued product and an unknown one", () => {
    spec.given([existing, discontinued]).when(price(1499)).thenThrows(RuleViolationError);
    spec.given([]).when(price(1499)).thenThrows(NotFoundError);
  });
});

describe("changing details", () => {
  const details = { description: "Porcelain", category: "tableware", attributes: { colour: "white" } };

  it("changes description, category and attributes together", () => {
    spec
      .given([existing])
      .when({ type: "ChangeProductDetails", data: details })
      .then([{ type: "catalog.ProductDetailsChanged.v1", data: { productId: id, ...details } }]);
  });

  it("does nothing when nothing changes, whatever the attribute order", () => {
    const same = { description: "Stoneware, 350 ml", category: "kitchen", attributes: { colour: "blue" } };
    spec.given([existing]).when({ type: "ChangeProductDetails", data: same }).then([]);
  });

  it("refuses a blank category and a discontinued product", () => {
    spec
      .given([existing])
      .when({ type: "ChangeProductDetails", data: { ...details, category: " " } })
      .thenThrows(ValidationError, {
        violations: [expect.objectContaining({ field: "category" })],
      });
    spec.given([existing, discontinued]).when({ type: "ChangeProductDetails", data: details }).thenThrows(RuleViolationError);
  });
});

describe("discontinuing", () => {
  it("discontinues an active product, once", () => {
    spec.given([existing]).when({ type: "DiscontinueProduct" }).then([discontinued]);
    spec.given([existing, discontinued]).when({ type: "DiscontinueProduct" }).then([]);
  });

  it("refuses an unknown product", () => {
    spec.given([]).when({ type: "DiscontinueProduct" }).thenThrows(NotFoundError);
  });
});
