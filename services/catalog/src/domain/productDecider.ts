import { AlreadyExistsError, assertNever, NotFoundError, RuleViolationError, type Decider } from "@bazaar/core";
import type { ProductCommand } from "./productCommands.js";
import type { Money, ProductDetails, ProductEvent } from "./productEvents.js";
import { validateDetails, validateName, validateNewProduct, validatePrice } from "./productRules.js";

interface Product extends ProductDetails {
  productId: string;
  sku: string;
  name: string;
  price: Money;
}

export type ProductState = { status: "empty" } | ({ status: "active" } & Product) | ({ status: "discontinued" } & Product);

const sameDetails = (a: ProductDetails, b: ProductDetails) =>
  a.description === b.description &&
  a.category === b.category &&
  JSON.stringify(Object.entries(a.attributes).sort()) === JSON.stringify(Object.entries(b.attributes).sort());

/** A product that exists and may still change; otherwise the error the caller should see. */
const changeable = (state: ProductState, what: string): Product & { status: "active" } => {
  if (state.status === "empty") throw new NotFoundError("product not found");
  if (state.status === "discontinued") throw new RuleViolationError(`product ${state.productId} is discontinued: ${what} is no longer possible`);
  return state;
};

export const productDecider: Decider<ProductCommand, ProductEvent, ProductState> = {
  initialState: () => ({ status: "empty" }),

  decide(command, state) {
    switch (command.type) {
      case "CreateProduct": {
        if (state.status !== "empty") {
          // The same id with the same SKU is a retry of the create that made it (ids derive from
          // the caller's Idempotency-Key): the same outcome again, nothing new.
          if (state.sku.trim().toUpperCase() === command.data.sku.trim().toUpperCase()) return [];
          throw new AlreadyExistsError(`product ${command.data.productId} already exists`);
        }
        validateNewProduct(command.data);
        return [{ type: "catalog.ProductCreated.v1", data: { ...command.data, name: command.data.name.trim(), category: command.data.category.trim() } }];
      }
      case "RenameProduct": {
        validateName(command.data.name);
        const product = changeable(state, "renaming");
        const name = command.data.name.trim();
        if (name === product.name) return [];
        return [{ type: "catalog.ProductRenamed.v1", data: { productId: product.productId, name, previousName: product.name } }];
      }
      case "ChangeProductPrice": {
        validatePrice(command.data.price);
        const product = changeable(state, "changing the price");
        const { price } = command.data;
        if (price.currency !== product.price.currency) {
          throw new RuleViolationError(`the currency of product ${product.productId} is fixed: ${product.price.currency}`);
        }
        if (price.amount === product.price.amount) return [];
        return [{ type: "catalog.ProductPriceChanged.v1", data: { productId: product.productId, price, previousPrice: product.price } }];
      }
      case "ChangeProductDetails": {
        validateDetails(command.data);
        const product = changeable(state, "changing the details");
        const details = { ...command.data, category: command.data.category.trim() };
        if (sameDetails(details, product)) return [];
        return [{ type: "catalog.ProductDetailsChanged.v1", data: { productId: product.productId, ...details } }];
      }
      case "DiscontinueProduct": {
        if (state.status === "empty") throw new NotFoundError("product not found");
        if (state.status === "discontinued") return [];
        return [{ type: "catalog.ProductDiscontinued.v1", data: { productId: state.productId } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case "catalog.ProductCreated.v1": {
        const { productId, sku, name, description, category, price, attributes } = event.data;
        return { status: "active", productId, sku, name, description, category, price, attributes };
      }
      case "catalog.ProductRenamed.v1":
        return state.status === "empty" ? state : { ...state, name: event.data.name };
      case "catalog.ProductPriceChanged.v1":
        return state.status === "empty" ? state : { ...state, price: event.data.price };
      case "catalog.ProductDetailsChanged.v1": {
        const { description, category, attributes } = event.data;
        return state.status === "empty" ? state : { ...state, description, category, attributes };
      }
      case "catalog.ProductDiscontinued.v1":
        return state.status === "empty" ? state : { ...state, status: "discontinued" };
      default:
        return assertNever(event);
    }
  },
};
