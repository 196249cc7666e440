import { SignJWT } from "jose";
import { createSecretKey } from "node:crypto";

/** The scopes the public API knows; a token may carry others, they are ignored. */
export const SCOPES = ["catalog:write", "inventory:write", "orders:write", "customers:write", "read", "staff"] as const;
export type Scope = (typeof SCOPES)[number];

/** The claim naming the customer an end user's token acts for. */
export const CUSTOMER_CLAIM = "customer_id";

/**
 * Signs an HS256 JWT with `sub`, `scope` (space-separated), `iat` and `exp`, and for an end
 * user's token `customer_id`: what `authenticate` verifies. The one way Bazaar mints a token
 * (`bazaar token mint`, the console's development token, `npm start`, tests).
 */
export const mintToken = async (options: {
  secret: string;
  subject: string;
  scopes: readonly string[];
  ttlSeconds: number;
  customerId?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}): Promise<string> => {
  let jwt = new SignJWT({ scope: options.scopes.join(" "), ...(options.customerId ? { [CUSTOMER_CLAIM]: options.customerId } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(createSecretKey(Buffer.from(options.secret, "utf8")));
};
