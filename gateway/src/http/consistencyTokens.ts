import { createHmac, timingSafeEqual } from "node:crypto";
import { ValidationError } from "@bazaar/core";

/** Where a command left a stream, as the command RPCs answer it. */
export interface Position {
  streamId: string;
  version: number;
}

export interface ConsistencyTokens {
  /** `<base64url(JSON [[streamId, version], …])>.<base64url(HMAC-SHA256)>`; empty positions → undefined. */
  issue(positions: readonly (Position | undefined)[]): string | undefined;
  /** Versions by stream; ValidationError (→ 400) for a token this gateway did not sign. */
  read(token: string): Map<string, number>;
}

const FIELD = "X-Consistency-Token";

const refused = (message: string) => new ValidationError([{ field: FIELD, message }]);

/**
 * Read-your-writes tokens: opaque to clients, signed so nobody can make a query wait on a
 * version of their choosing, and valid across gateway replicas that share the secret.
 */
export const createConsistencyTokens = (secret: string): ConsistencyTokens => {
  const sign = (payload: string) => createHmac("sha256", secret).update(payload).digest();
  return {
    issue(positions) {
      const entries = positions.filter((p): p is Position => p !== undefined && p.streamId !== "" && p.version > 0).map((p) => [p.streamId, p.version]);
      if (entries.length === 0) return undefined;
      const payload = Buffer.from(JSON.stringify(entries)).toString("base64url");
      return `${payload}.${sign(payload).toString("base64url")}`;
    },
    read(token) {
      const [payload, signature, ...rest] = token.split(".");
      if (!payload || !signature || rest.length > 0) throw refused("is not a consistency token");
      const expected = sign(payload);
      const given = Buffer.from(signature, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused("was not issued by this API or was altered");
      const entries = JSON.parse(Buffer.from(payload, "base64url").toString()) as [string, number][];
      return new Map(entries);
    },
  };
};
