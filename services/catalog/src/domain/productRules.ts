import { ValidationError, type FieldViolation } from "@bazaar/core";
import type { ProductCreatedData } from "./productEvents.js";

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_AMOUNT = 1_000_000_000_00; // one billion in minor units

/** Checks a new product's values; every violation is reported, not just the first. */
export const validateNewProduct = (product: ProductCreatedData): void => {
  const violations: FieldViolation[] = [];
  const check = (ok: boolean, field: string, message: string) => {
    if (!ok) violations.push({ field, message });
  };
  check(SKU.test(product.sku), "sku", "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
  check(product.name.trim().length > 0, "name", "must not be blank");
  check(product.name.length <= 200, "name", "must be at most 200 characters");
  check(product.description.length <= 5000, "description", "must be at most 5000 characters");
  check(product.category.trim().length > 0, "category", "must not be blank");
  check(product.category.length <= 100, "category", "must be at most 100 characters");
  check(Number.isSafeInteger(product.price.amount) && product.price.amount > 0, "price.amount", "must be a positive integer (minor units)");
  check(product.price.amount <= MAX_AMOUNT, "price.amount", `must be at most ${MAX_AMOUNT}`);
  check(CURRENCY.test(product.price.currency), "price.currency", "must be an ISO 4217 code such as EUR");
  const attributes = Object.entries(product.attributes);
  check(attributes.length <= 50, "attributes", "must have at most 50 entries");
  for (const [key, value] of attributes) {
    check(key.length > 0 && key.length <= 64, `attributes.${key}`, "key must be 1-64 characters");
    check(value.length <= 500, `attributes.${key}`, "value must be at most 500 characters");
  }
  if (violations.length > 0) throw new ValidationError(violations);
};
