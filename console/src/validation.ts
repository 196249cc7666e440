import type { z } from "zod";
import type { FieldErrors } from "./api/problem.js";

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const pathOf = (parts: readonly PropertyKey[]) => parts.map(String).join(".") || "body";

/**
 * Checks a task's input with the schema the gateway enforces (gateway/src/openapi/commandBodies.ts),
 * naming failing fields by the dotted paths the gateway's problem+json uses, so a field shows a
 * browser-side error and a server-side one in the same place.
 */
export const check = <S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> => {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys.map((key) => pathOf([...issue.path, key])) : [pathOf(issue.path)];
    for (const key of keys) errors[key] ??= issue.message;
  }
  return { ok: false, errors };
};
