import { isUuid } from "@bazaar/core";
import { SignJWT } from "jose";
import { createSecretKey } from "node:crypto";
import { CommandLineError, parseCommandLine } from "./commandLine.js";

/**
 * The gateway's HS256 secret when `AUTH_HS256_SECRET` is unset and `BAZAAR_MODE=development`
 * (never otherwise).
 * Same value as gateway/src/edge/devSecret.ts — the CLI cannot import the gateway app;
 * gateway/src/edge/auth.unit.test.ts fails if the two drift apart.
 */
export const DEV_HS256_SECRET = "bazaar-local-development-secret-do-not-use-in-production";

/** The gateway refuses shorter HS256 secrets: a token minted with one would be useless. */
const MIN_SECRET_BYTES = 32;

/** The scopes the gateway knows; `staff` acts for every customer (see the README's token model). */
export const KNOWN_SCOPES = ["catalog:write", "inventory:write", "orders:write", "customers:write", "read", "staff"];

/** What an end user's token carries unless --scopes says otherwise: their own reads, orders and profile. */
export const CUSTOMER_SCOPES = ["read", "orders:write", "customers:write"];

/**
 * An HS256 JWT with `sub`, `scope` (space-separated), `iat` and `exp`, and for an end user's
 * token `customer_id`: what the gateway verifies.
 */
export const mintToken = async (options: {
  secret: string;
  subject: string;
  scopes: readonly string[];
  ttlSeconds: number;
  customerId?: string;
}): Promise<string> =>
  new SignJWT({ scope: options.scopes.join(" "), ...(options.customerId ? { customer_id: options.customerId } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds)
    .sign(createSecretKey(Buffer.from(options.secret, "utf8")));

export const TOKEN_USAGE = `  bazaar token mint (--staff | --customer <id>) [--scopes a,b] [--subject s] [--ttl 3600]
                                               print a bearer token for the gateway (HS256, AUTH_HS256_SECRET):
                                               --staff: every scope, acts for every customer;
                                               --customer <id>: an end user's token (${CUSTOMER_SCOPES.join(", ")}), acts for that customer only`;

const MINT_OPTIONS = {
  staff: { type: "boolean", default: false },
  customer: { type: "string" },
  scopes: { type: "string" },
  subject: { type: "string" },
  ttl: { type: "string", default: "3600" },
} as const;

/** `bazaar token mint …`: prints the token on stdout. Exit code 0, or 2 on a usage error. */
export const runTokenCommand = async (args: readonly string[], env: Record<string, string | undefined> = process.env): Promise<number> => {
  const [command, ...flags] = args;
  if (command !== "mint") {
    console.error(`usage:\n${TOKEN_USAGE}`);
    return 2;
  }
  let flagValues;
  try {
    flagValues = parseCommandLine(flags, { options: MINT_OPTIONS }).values;
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    console.error(`${error.message}\nusage:\n${TOKEN_USAGE}`);
    return 2;
  }
  const { staff, customer: customerId } = flagValues;
  if (staff === (customerId !== undefined)) {
    console.error(`say whom the token acts for: --staff or --customer <id>\nusage:\n${TOKEN_USAGE}`);
    return 2;
  }
  if (customerId !== undefined && !isUuid(customerId)) {
    console.error("--customer must be a customer id (a UUID)");
    return 2;
  }
  const scopes = (flagValues.scopes ?? (staff ? KNOWN_SCOPES : CUSTOMER_SCOPES).join(","))
    .split(",")
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !KNOWN_SCOPES.includes(scope));
  if (unknown.length > 0) {
    console.error(`unknown scope${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; known: ${KNOWN_SCOPES.join(", ")}`);
    return 2;
  }
  const ttl = Number(flagValues.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) {
    console.error("--ttl must be a positive number of seconds");
    return 2;
  }
  const subject = flagValues.subject ?? (staff ? "dev" : `customer-${customerId}`);
  const secret = env.AUTH_HS256_SECRET || (env.BAZAAR_MODE === "development" ? DEV_HS256_SECRET : undefined);
  if (secret === undefined) {
    console.error("AUTH_HS256_SECRET is not set (BAZAAR_MODE=development mints with the development secret)");
    return 2;
  }
  if (Buffer.byteLength(secret, "utf8") < MIN_SECRET_BYTES) {
    console.error(`AUTH_HS256_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
    return 2;
  }
  console.log(await mintToken({ secret, subject, scopes, ttlSeconds: ttl, ...(customerId ? { customerId: customerId.toLowerCase() } : {}) }));
  return 0;
};
