import { z } from "zod";
import { Address, Money, uuid } from "./schemas.js";

/**
 * The request bodies of the commands, declared once: the routes validate with them, and the web
 * console (console/) bundles this module — it imports nothing but zod and the shared schemas —
 * to validate a task in the browser with exactly what the gateway enforces.
 */

/**
 * Attributes become fields of the product's search document: a bounded number of plainly named
 * ones, so one product cannot grow the projector's memory or the index mapping without limit
 * (a '.' would also make Elasticsearch nest objects).
 */
const MAX_ATTRIBUTES = 50;
const ATTRIBUTE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/;

export const createProductBody = z.strictObject({
  sku: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(""),
  category: z.string().trim().min(1).max(100),
  price: Money,
  attributes: z
    .record(z.string().regex(ATTRIBUTE_NAME, "attribute names are 1-64 letters, digits, spaces, '_' or '-'"), z.string().max(500))
    .refine((attributes) => Object.keys(attributes).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`)
    .default({}),
});

export const renameProductBody = z.strictObject({ name: z.string().trim().min(1).max(200) });

export const changePriceBody = z.strictObject({ price: Money });

export const restockBody = z.strictObject({ quantity: z.number().int().positive().max(1_000_000_000) });

export const registerCustomerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email({ message: "must be a valid email address such as ada@example.com" }).max(254),
  address: Address,
});

export const changeAddressBody = z.strictObject({ address: Address });

export const placeOrderBody = z.strictObject({
  customerId: uuid,
  lines: z
    .array(z.strictObject({ productId: uuid, quantity: z.number().int().positive().max(10_000) }))
    .min(1)
    .max(100)
    .refine((lines) => new Set(lines.map((line) => line.productId)).size === lines.length, "must name each product once"),
});

export const cancelOrderBody = z.strictObject({ reason: z.string().trim().max(500).default("cancelled by the customer") });

/** Each command's body by the operationId of its route. */
export const commandBodies = {
  createProduct: createProductBody,
  renameProduct: renameProductBody,
  changeProductPrice: changePriceBody,
  restock: restockBody,
  registerCustomer: registerCustomerBody,
  changeCustomerAddress: changeAddressBody,
  placeOrder: placeOrderBody,
  cancelOrder: cancelOrderBody,
} as const;
