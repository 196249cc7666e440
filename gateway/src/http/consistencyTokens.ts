import { createHmac, createSecretKey, timingSafeEqual } from "node:crypto";
import { ValidationError } from "@bazaar/core";

/** Where a command left a stream, as the command RPCs answer it. */
export interface Position {
  streamId: string;
  version: number;
}

export interface ConsistencyTokens {
  /**
   * `<base64url(JSON { e: expiry (epoch s), p: [[streamId, version], …] })>.<base64url(HMAC-SHA256)>`,
   * the MAC also over `holder` (the principal the token is issued to); empty positions → undefined.
   */
  issue(positions: readonly (Position | undefined)[], holder: string): string | undefined;
  /** Versions by stream; ValidationError (→ 400) for a token not issued to `holder` by this gateway, altered, or expired. */
  read(token: string, holder: string): Map<string, number>;
}

const FIELD = "X-Consistency-Token";

/** Long enough to read one's own write, short enough that a leaked token soon means nothing. */
export const CONSISTENCY_TOKEN_TTL_SECONDS = 15 * 60;

const refused = (message: string) => new ValidationError([{ field: FIELD, message }]);

/**
 * Read-your-writes tokens: opaque to clients, signed so nobody can make a query wait on a
 * version of their choosing, bound to the principal they were issued to (another caller's
 * token is refused, so a token cannot be shared to make others' reads wait), expiring, and
 * valid across gateway replicas that share the secret. `now` is for tests.
 */
export const createConsistencyTokens = (secret: string, now: () => number = Date.now): ConsistencyTokens => {
  // One key object for every token: a string secret would be imported again on every signature.
  const key = createSecretKey(Buffer.from(secret, "utf8"));
  const sign = (payload: string, holder: string) => createHmac("sha256", key).update(`${payload}\n${holder}`).digest();
  return {
    issue(positions, holder) {
      const entries = positions.filter((p): p is Position => p !== undefined && p.streamId !== "" && p.version > 0).map((p) => [p.streamId, p.version]);
      if (entries.length === 0) return undefined;
      const payload = Buffer.from(JSON.stringify({ e: Math.floor(now() / 1000) + CONSISTENCY_TOKEN_TTL_SECONDS, p: entries })).toString("base64url");
      return `${payload}.${sign(payload, holder).toString("base64url")}`;
    },
    read(token, holder) {
      const [payload, signature, ...rest] = token.split(".");
      if (!payload || !signature || rest.length > 0) throw refused("is not a consistency token");
      const expected = sign(payload, holder);
      const given = Buffer.from(signature, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused("was not issued to this caller by this API, or was altered");
      const { e: expiresAt, p: entries } = JSON.parse(Buffer.from(payload, "base64url").toString()) as { e: number; p: [string, number][] };
      if (now() / 1000 > expiresAt) throw refused("has expired: read without it");
      return new Map(entries);
    },
  };
};
