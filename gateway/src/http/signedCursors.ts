import { createHmac, timingSafeEqual } from "node:crypto";
import { ValidationError } from "@bazaar/core";

/**
 * Page cursors as clients see them: the downstream's own cursor, sealed with an HMAC. A client
 * can only hand back a cursor this API issued, so a tampered one is a 400 here and never reaches
 * a query service's parser (where a well-formed but altered cursor used to end as a 500).
 */
export interface CursorSeal {
  /** The client's cursor for a downstream cursor; null for none (the last page). */
  seal(downstream: string): string | null;
  /** The downstream cursor inside a client's cursor; ValidationError (→ 400) unless this API sealed it. */
  open(cursor: string, field?: string): string;
}

/** Enough of the MAC to make forgery hopeless (2^-128) while keeping cursors short. */
const MAC_BYTES = 16;

export const createCursorSeal = (secret: string): CursorSeal => {
  // Its own key, derived from the secret: a cursor's MAC can never pass for another token's.
  const key = createHmac("sha256", secret).update("bazaar page cursor v1").digest();
  const mac = (payload: string) => createHmac("sha256", key).update(payload).digest().subarray(0, MAC_BYTES);
  return {
    seal(downstream) {
      if (downstream === "") return null;
      const payload = Buffer.from(downstream, "utf8").toString("base64url");
      return `${payload}.${mac(payload).toString("base64url")}`;
    },
    open(cursor, field = "cursor") {
      const [payload, signature, ...rest] = cursor.split(".");
      const given = Buffer.from(signature ?? "", "base64url");
      if (!payload || rest.length > 0 || given.length !== MAC_BYTES || !timingSafeEqual(given, mac(payload))) {
        throw new ValidationError([{ field, message: "must be a cursor from a previous response" }]);
      }
      return Buffer.from(payload, "base64url").toString("utf8");
    },
  };
};
