import { AlreadyExistsError, type Decider } from "@bazaar/core";
import type { ProductCommand } from "./productCommands.js";
import type { Money, ProductEvent } from "./productEvents.js";
import { validateNewProduct } from "./productRules.js";

export type ProductState =
  | { status: "empty" }
  | {
      status: "active";
      productId: string;
      sku: string;
      name: string;
      price: Money;
    };

export const productDecider: Decider<ProductCommand, ProductEvent, ProductState> = {
  initialState: () => ({ status: "empty" }),

  decide(command, state) {
    switch (command.type) {
      case "CreateProduct": {
        if (state.status !== "empty") throw new AlreadyExistsError(`product ${command.data.productId} already exists`);
        validateNewProduct(command.data);
        return [{ type: "catalog.ProductCreated.v1", data: { ...command.data, name: command.data.name.trim() } }];
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case "catalog.ProductCreated.v1": {
        const { productId, sku, name, price } = event.data;
        return { status: "active", productId, sku, name, price };
      }
      default:
        return assertNever(event.type);
    }
  },
};

const assertNever = (value: never): never => {
  throw new Error(`unhandled case: ${String(value)}`);
};
