import { createHmac, timingSafeEqual } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { z } from "zod";

/**
 * Service-to-service authentication on gRPC. Every call carries a short-lived token naming its
 * caller (`gateway`, `ordering`, …), signed with the secret all processes of a deployment share
 * (`SERVICE_AUTH_SECRET`, HMAC-SHA256); every server checks it before the call reaches a handler.
 * A token is `bzs1.<caller>.<expiry in epoch seconds>.<signature>`: verified with one HMAC, no
 * I/O, so checking it on every call costs microseconds.
 */
const VERSION = "bzs1";
const CALLER = /^[a-z][a-z0-9-]{0,39}$/;
/** How long a minted token is valid; clients mint a new one when less than half of it is left. */
const TOKEN_TTL_S = 600;
/** The metadata key the token travels in. */
const AUTHORIZATION = "authorization";
/** Who asked, for the audit trail: set by the gateway for its users, never taken from anyone else. */
const ACTOR = "x-actor";
/** Built-in secret of development mode (`BAZAAR_MODE=development`); never used otherwise. */
export const DEV_SERVICE_AUTH_SECRET = "bazaar-development-service-auth-secret-not-for-production";
/** HMAC-SHA256 keys shorter than the hash are guessable offline from one token. */
const MIN_SECRET_BYTES = 32;

/**
 * The settings every process that calls or serves gRPC reads: `BAZAAR_MODE` (`development` lets
 * it fall back to the built-in secret) and `SERVICE_AUTH_SECRET` (required otherwise, ≥ 32 bytes).
 */
export const serviceAuthSettings = z
  .object({
    BAZAAR_MODE: z.enum(["production", "development"]).default("production"),
    SERVICE_AUTH_SECRET: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z
        .string()
        .refine((value) => Buffer.byteLength(value, "utf8") >= MIN_SECRET_BYTES, `must be at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 48)`)
        .optional(),
    ),
  })
  .refine((e) => e.SERVICE_AUTH_SECRET !== undefined || e.BAZAAR_MODE === "development", {
    path: ["SERVICE_AUTH_SECRET"],
    message: "is required unless BAZAAR_MODE=development (which uses a built-in development secret)",
  })
  .transform((e) => ({ development: e.BAZAAR_MODE === "development", secret: e.SERVICE_AUTH_SECRET ?? DEV_SERVICE_AUTH_SECRET }));

const signatureOf = (secret: string, payload: string) => createHmac("sha256", secret).update(payload).digest("base64url");

export const mintServiceToken = (secret: string, caller: string, expiresAtS: number): string => {
  if (!CALLER.test(caller)) throw new Error(`service caller name must match ${CALLER}: ${caller}`);
  const payload = `${VERSION}.${caller}.${expiresAtS}`;
  return `${payload}.${signatureOf(secret, payload)}`;
};

/** The caller a token names, or why it is refused. */
export const verifyServiceToken = (secret: string, token: string, nowS = Date.now() / 1000): { caller: string } | { refused: string } => {
  const parts = token.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION || !CALLER.test(parts[1]!) || !/^\d{1,12}$/.test(parts[2]!)) return { refused: "malformed service token" };
  const expected = Buffer.from(signatureOf(secret, parts.slice(0, 3).join(".")));
  const given = Buffer.from(parts[3]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: "service token signature does not verify" };
  if (Number(parts[2]) <= nowS) return { refused: "service token expired" };
  return { caller: parts[1]! };
};

/**
 * Writes `caller`'s token into a call's metadata. The token is minted once and again when less
 * than half of its life is left, not per call: a call pays a clock read and a metadata set.
 */
export const serviceTokenWriter = (secret: string, caller: string): ((metadata: grpc.Metadata) => void) => {
  let header = "";
  let renewAtMs = 0;
  return (metadata) => {
    const nowMs = Date.now();
    if (nowMs >= renewAtMs) {
      const nowS = Math.floor(nowMs / 1000);
      header = `Bearer ${mintServiceToken(secret, caller, nowS + TOKEN_TTL_S)}`;
      renewAtMs = (nowS + TOKEN_TTL_S / 2) * 1000;
    }
    metadata.set(AUTHORIZATION, header);
  };
};

/**
 * The server side: a call without a valid service token ends UNAUTHENTICATED before any handler
 * runs — except the paths `open` lets through (health, which orchestrators probe without
 * credentials). `x-actor` (who the user was) is believed only from `trustActorFrom` (the
 * gateway, which authenticated the user); from any other caller it is replaced by the caller's
 * own name, so no service can write someone else's name into the audit trail.
 */
export const serviceAuthInterceptor = (options: {
  secret: string;
  open: (path: string) => boolean;
  trustActorFrom: ReadonlySet<string>;
}): grpc.ServerInterceptor => {
  return (method, call) => {
    if (options.open(method.path)) return new grpc.ServerInterceptingCall(call);
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, pass) {
            const header = metadata.get(AUTHORIZATION)[0];
            const token = typeof header === "string" && header.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
            const verdict = token === undefined ? { refused: "no service token (authorization: Bearer …)" } : verifyServiceToken(options.secret, token);
            if ("refused" in verdict) {
              call.sendStatus({ code: grpc.status.UNAUTHENTICATED, details: verdict.refused, metadata: new grpc.Metadata() });
              return;
            }
            metadata.remove(AUTHORIZATION);
            if (!options.trustActorFrom.has(verdict.caller)) metadata.set(ACTOR, `service:${verdict.caller}`);
            pass(metadata);
          },
        });
      },
    });
  };
};
