import { collectViolations, type Violations } from "@bazaar/core";
import type { Money, ProductCreatedData, ProductDetails } from "./productEvents.js";

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_AMOUNT = 1_000_000_000_00; // one billion in minor units

type Check = Violations["check"];

const nameRules = (check: Check, name: string) => {
  check(name.trim().length > 0, "name", "must not be blank");
  check(name.length <= 200, "name", "must be at most 200 characters");
};

const priceRules = (check: Check, price: Money) => {
  check(Number.isSafeInteger(price.amount) && price.amount > 0, "price.amount", "must be a positive integer (minor units)");
  check(price.amount <= MAX_AMOUNT, "price.amount", `must be at most ${MAX_AMOUNT}`);
  check(CURRENCY.test(price.currency), "price.currency", "must be an ISO 4217 code such as EUR");
};

const detailRules = (check: Check, details: ProductDetails) => {
  check(details.description.length <= 5000, "description", "must be at most 5000 characters");
  check(details.category.trim().length > 0, "category", "must not be blank");
  check(details.category.length <= 100, "category", "must be at most 100 characters");
  const attributes = Object.entries(details.attributes);
  check(attributes.length <= 50, "attributes", "must have at most 50 entries");
  for (const [key, value] of attributes) {
    check(key.length > 0 && key.length <= 64, `attributes.${key}`, "key must be 1-64 characters");
    check(value.length <= 500, `attributes.${key}`, "value must be at most 500 characters");
  }
};

/** Every violation is reported at once, each under its field's path. */
export const validateNewProduct = (product: ProductCreatedData): void =>
  collectViolations(({ check }) => {
    check(SKU.test(product.sku), "sku", "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    nameRules(check, product.name);
    detailRules(check, product);
    priceRules(check, product.price);
  });

export const validateName = (name: string): void => collectViolations(({ check }) => nameRules(check, name));
export const validatePrice = (price: Money): void => collectViolations(({ check }) => priceRules(check, price));
export const validateDetails = (details: ProductDetails): void => collectViolations(({ check }) => detailRules(check, details));
