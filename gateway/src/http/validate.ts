import { ValidationError, type FieldViolation } from "@bazaar/core";
import type { z } from "zod";

const path = (parts: readonly PropertyKey[], prefix?: string) => [prefix, ...parts.map(String)].filter(Boolean).join(".") || "body";

const toViolations = (issue: z.core.$ZodIssue, prefix?: string): FieldViolation[] =>
  issue.code === "unrecognized_keys"
    ? issue.keys.map((key) => ({ field: path([...issue.path, key], prefix), message: "is not a known field" }))
    : [{ field: path(issue.path, prefix), message: issue.message }];

/** Every failing field of a zod error as a dotted path (unknown keys named one by one). */
export const violationsOf = (error: z.ZodError, prefix?: string): FieldViolation[] => error.issues.flatMap((issue) => toViolations(issue, prefix));

/** Parses input with a schema; every failing field comes back as a dotted path. */
export const validate = <Schema extends z.ZodType>(schema: Schema, input: unknown, prefix?: string): z.infer<Schema> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(violationsOf(result.error, prefix));
};
