import { z } from "zod";

/** Shared schemas: each `id` becomes one entry under `components.schemas` of the document. */

/** Any case accepted, lower case used: the contexts key aggregates by the lower-case form. */
export const uuid = z.uuid({ message: "must be a UUID" }).overwrite((id) => id.toLowerCase());

export const Money = z
  .strictObject({
    amount: z.number().int().positive().max(100_000_000_000).describe("Integer minor units (cents)"),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
      .describe("ISO 4217 code, upper case"),
  })
  .meta({ id: "Money", description: "An amount of money in integer minor units of an ISO 4217 currency" });

/** Money as the API answers it (zero is a legal total or price in a read model). */
export const MoneyOut = z
  .object({ amount: z.number().int(), currency: z.string() })
  .meta({ id: "MoneyView", description: "An amount of money in integer minor units of an ISO 4217 currency" });

/** A product's catalog data as the API answers it: in the product resource and in an order's product details. */
export const productDataFields = {
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  price: MoneyOut.optional(),
  attributes: z.record(z.string(), z.string()),
};

export const FieldViolation = z.object({ field: z.string(), message: z.string() }).meta({ id: "FieldViolation" });

export const Problem = z
  .object({
    type: z.string().describe("URI reference identifying the problem type"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(FieldViolation).optional().describe("Every failing field, for 400 responses"),
    sagaId: z.string().optional().describe("The saga that ended this way (sync flows)"),
    reason: z.string().optional(),
    orderId: z.string().optional(),
    orderStatus: z.string().optional().describe("The order's status when a sync order flow refused it (REJECTED)"),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details (application/problem+json)" });

export const CommandAccepted = z
  .object({
    id: z.string(),
    version: z.number().int().describe("The aggregate's stream version after the command"),
  })
  .meta({ id: "CommandAccepted" });

export const Address = z
  .strictObject({
    line1: z.string().trim().min(1).max(200),
    line2: z.string().max(200).default(""),
    postalCode: z.string().trim().min(1).max(20),
    city: z.string().trim().min(1).max(100),
    country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code in upper case, such as DE"),
  })
  .meta({ id: "Address" });

/** `If-Match: <version>` (an ETag-style quoted value is accepted too). */
export const ifMatch = z
  .string()
  .regex(/^(?:W\/)?"?[1-9]\d{0,15}"?$/, "must be the aggregate version the change applies to, e.g. 3")
  .transform((value) => Number(value.replace(/\D/g, "")))
  .describe("Apply only if the aggregate is still at this version (409 otherwise)");

export const consistencyTokenHeader = z.string().max(4096).describe("A token from a command response: the answer waits (bounded) until it reflects that write");

/** Opaque cursors: base64url, a dot, the gateway's MAC over it (http/signedCursors.ts). */
export const cursor = z
  .string()
  .max(2000)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "must be a cursor from a previous response")
  .describe("`nextCursor` of the previous page, as it was answered");
