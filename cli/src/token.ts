import { SignJWT } from "jose";
import { createSecretKey } from "node:crypto";

/**
 * The gateway's HS256 secret when `AUTH_HS256_SECRET` is unset and `BAZAAR_MODE=development`
 * (never otherwise).
 * Same value as gateway/src/edge/devSecret.ts — the CLI cannot import the gateway app;
 * gateway/src/edge/auth.unit.test.ts fails if the two drift apart.
 */
export const DEV_HS256_SECRET = "bazaar-local-development-secret-do-not-use-in-production";

/** The gateway refuses shorter HS256 secrets: a token minted with one would be useless. */
const MIN_SECRET_BYTES = 32;

/** The scopes the gateway's routes require. */
export const KNOWN_SCOPES = ["catalog:write", "inventory:write", "orders:write", "customers:write", "read"];

/** An HS256 JWT with `sub`, `scope` (space-separated), `iat` and `exp`: what the gateway verifies. */
export const mintToken = async (options: { secret: string; subject: string; scopes: readonly string[]; ttlSeconds: number }): Promise<string> =>
  new SignJWT({ scope: options.scopes.join(" ") })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds)
    .sign(createSecretKey(Buffer.from(options.secret, "utf8")));

export const TOKEN_USAGE = `  bazaar token mint [--scopes a,b] [--subject s] [--ttl 3600]
                                               print a bearer token for the gateway (HS256, AUTH_HS256_SECRET)`;

const flag = (args: readonly string[], name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};

/** `bazaar token mint …`: prints the token on stdout. Exit code 0, or 2 on a usage error. */
export const runTokenCommand = async (args: readonly string[], env: Record<string, string | undefined> = process.env): Promise<number> => {
  const [command, ...flags] = args;
  if (command !== "mint") {
    console.error(`usage:\n${TOKEN_USAGE}`);
    return 2;
  }
  const scopes = (flag(flags, "--scopes") ?? KNOWN_SCOPES.join(","))
    .split(",")
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !KNOWN_SCOPES.includes(scope));
  if (unknown.length > 0) {
    console.error(`unknown scope${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; known: ${KNOWN_SCOPES.join(", ")}`);
    return 2;
  }
  const ttl = Number(flag(flags, "--ttl") ?? "3600");
  if (!Number.isInteger(ttl) || ttl <= 0) {
    console.error("--ttl must be a positive number of seconds");
    return 2;
  }
  const subject = flag(flags, "--subject") ?? "dev";
  const secret = env.AUTH_HS256_SECRET || (env.BAZAAR_MODE === "development" ? DEV_HS256_SECRET : undefined);
  if (secret === undefined) {
    console.error("AUTH_HS256_SECRET is not set (BAZAAR_MODE=development mints with the development secret)");
    return 2;
  }
  if (Buffer.byteLength(secret, "utf8") < MIN_SECRET_BYTES) {
    console.error(`AUTH_HS256_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
    return 2;
  }
  console.log(await mintToken({ secret, subject, scopes, ttlSeconds: ttl }));
  return 0;
};
