import { isUuid } from "@bazaar/core";
import { DEV_HS256_SECRET, mintToken, SCOPES } from "@bazaar/gateway/tokens";
import { CommandLineError, parseCommandLine } from "./commandLine.js";

/** The gateway refuses shorter HS256 secrets: a token minted with one would be useless. */
const MIN_SECRET_BYTES = 32;

/** The scopes the gateway knows; `staff` acts for every customer (see the README's token model). */
export const KNOWN_SCOPES: readonly string[] = SCOPES;

/** What an end user's token carries unless --scopes says otherwise: their own reads, orders and profile. */
export const CUSTOMER_SCOPES = ["read", "orders:write", "customers:write"];

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
