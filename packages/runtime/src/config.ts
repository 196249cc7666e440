import { z } from "zod";

/** The process cannot start with this environment; the message lists every bad variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses the environment once, at start, into typed settings. Fails fast, naming each
 * offending variable, instead of letting a bad value surface as a distant runtime error.
 */
export const loadConfig = <Schema extends z.ZodType>(schema: Schema, env: Record<string, string | undefined> = process.env): z.infer<Schema> => {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join("\n")}`);
};

/** Env helpers: every variable has a default that works on the local stack. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  int: (fallback: number) => z.coerce.number().int().min(0).default(fallback),
  string: (fallback: string) => z.string().min(1).default(fallback),
  list: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((value) =>
        value
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean),
      ),
};
