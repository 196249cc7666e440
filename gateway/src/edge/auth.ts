import { isUuid, UnavailableError } from "@bazaar/core";
import { createBoundedCache } from "@bazaar/runtime";
import type { RequestHandler, Response } from "express";
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { createSecretKey, type KeyObject } from "node:crypto";
import { sendProblem } from "../http/problem.js";
import { CUSTOMER_CLAIM } from "./tokens.js";

/** Who is calling, as the token says: put on `res.locals.principal` by `authenticate`. */
export interface Principal {
  subject: string;
  scopes: readonly string[];
  /** An end user's token: the customer it acts for (claim `customer_id`, a UUID). See ownership.ts. */
  customerId?: string;
}

/**
 * Either a shared HS256 secret (local, tests, CLI-minted tokens) or an identity provider's JWKS;
 * an identity provider is shared with other applications, so its tokens must name our issuer
 * and audience. `maxTokenAgeSeconds` (default 24 h) bounds a token's life from its `iat`.
 */
export type AuthConfig =
  | { hs256Secret: string; issuer?: string; audience?: string; maxTokenAgeSeconds?: number }
  | { jwksUrl: string; issuer: string; audience: string; maxTokenAgeSeconds?: number };

export interface Authenticator {
  /** Verifies `Authorization: Bearer <JWT>`; 401 problem+json unless the token is valid. */
  authenticate: RequestHandler;
  /** Requires every listed scope of the authenticated principal; 403 problem+json naming the missing ones. */
  authorize(scopes: readonly string[]): RequestHandler;
}

/** The principal `authenticate` stored, if any (rate limiting and idempotency key by its subject). */
export const principalOf = (res: Response): Principal | undefined => (res.locals as { principal?: Principal }).principal;

const REALM = "bazaar";
const CLOCK_TOLERANCE_SECONDS = 5;
const DEFAULT_MAX_TOKEN_AGE_SECONDS = 86_400;

/**
 * A subject travels as gRPC metadata (the actor of every event) and into logs: printable ASCII
 * only, or a header encoder down the line throws (a 500 for the caller).
 */
const SUBJECT = /^[\x21-\x7e]{1,256}$/;

/** A header value safe inside a quoted-string of WWW-Authenticate. */
const quoted = (text: string) => `"${text.replace(/["\\\r\n]/g, " ")}"`;

const unauthorized = (res: Response, req: { originalUrl: string }, description: string | undefined) => {
  // RFC 6750 §3.1: a request without credentials gets the challenge without an error code.
  res.setHeader(
    "WWW-Authenticate",
    description === undefined
      ? `Bearer realm=${quoted(REALM)}`
      : `Bearer realm=${quoted(REALM)}, error="invalid_token", error_description=${quoted(description)}`,
  );
  sendProblem(res, {
    type: "/problems/unauthorized",
    title: "Unauthorized",
    status: 401,
    detail: description ?? "a bearer token is required (Authorization: Bearer <JWT>)",
    instance: req.originalUrl,
  });
};

/** Scopes from `scope` (space-separated, RFC 8693) or `scp` (array or string, as some IdPs issue). */
const scopesOf = (payload: JWTPayload): string[] => {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === "string") return raw.split(" ").filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === "string");
  return [];
};

/** Why a token was refused, in words safe to show the caller. */
const describe = (error: errors.JOSEError): string => {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed)
    return error.reason === "missing" ? `the token has no ${error.claim} claim` : `claim ${error.claim} is invalid: ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature verification failed";
  if (error instanceof errors.JWKSNoMatchingKey) return "no key of the issuer matches the token";
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not accepted";
  return "the token is malformed";
};

/** A failure to fetch the issuer's keys is an outage (503), not the caller's fault (401). */
const isKeySourceOutage = (error: unknown) => error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError);

/** How many verified tokens are remembered, in how many bytes, and for how long at most (a JWKS key can be withdrawn). */
const VERIFIED_TOKENS = 10_000;
const VERIFIED_TOKEN_BYTES = 16 * 1024 * 1024;
const VERIFIED_FOR_MS = 60_000;

/**
 * Builds `authenticate` and `authorize` for one key source. A token that verified is remembered
 * by its exact text for up to a minute: the same bytes verify the same way, so a client that
 * sends its token with every request pays the signature check once a minute, not per request;
 * only the time claims (exp, nbf) are checked again each time. `now` is for tests.
 */
export const createAuthenticator = (config: AuthConfig, options: { now?: () => number } = {}): Authenticator => {
  const now = options.now ?? Date.now;
  const key: KeyObject | JWTVerifyGetKey =
    "hs256Secret" in config ? createSecretKey(Buffer.from(config.hs256Secret, "utf8")) : createRemoteJWKSet(new URL(config.jwksUrl));
  const verifyOptions = () => ({
    currentDate: new Date(now()),
    algorithms: "hs256Secret" in config ? ["HS256"] : ["RS256", "PS256", "ES256", "EdDSA"],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    // A token without exp never expires; without sub nobody is accountable; iat bounds its age.
    requiredClaims: ["exp", "sub", "iat"],
    maxTokenAge: config.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS,
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  });
  const verify = (token: string) => (typeof key === "function" ? jwtVerify(token, key, verifyOptions()) : jwtVerify(token, key, verifyOptions()));
  // Keyed by what callers send: bounded by bytes too, so long tokens cannot grow it past its budget.
  const verified = createBoundedCache<string, { principal: Principal; until: number; notBefore: number }>({
    maxBytes: VERIFIED_TOKEN_BYTES,
    maxEntries: VERIFIED_TOKENS,
  });
  /** The remembered principal of a token still within its time claims and the cache's minute. */
  const remembered = (token: string): Principal | undefined => {
    const entry = verified.get(token);
    if (!entry) return undefined;
    const at = now();
    if (at < entry.until && at >= entry.notBefore) return entry.principal;
    verified.delete(token);
    return undefined;
  };
  const remember = (token: string, principal: Principal, payload: JWTPayload) => {
    const tolerance = CLOCK_TOLERANCE_SECONDS * 1000;
    const maxAgeMs = (config.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS) * 1000;
    const until = Math.min(
      now() + VERIFIED_FOR_MS,
      payload.exp === undefined ? Number.POSITIVE_INFINITY : payload.exp * 1000 + tolerance,
      payload.iat === undefined ? Number.POSITIVE_INFINITY : payload.iat * 1000 + maxAgeMs + tolerance,
    );
    const notBefore = payload.nbf === undefined ? Number.NEGATIVE_INFINITY : payload.nbf * 1000 - tolerance;
    verified.set(token, { principal, until, notBefore });
  };

  const authenticate: RequestHandler = (req, res, next) => {
    const header = req.get("authorization");
    if (!header) return unauthorized(res, req, undefined);
    const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    if (!match?.[1]) return unauthorized(res, req, "the Authorization header must be 'Bearer <JWT>'");
    const token = match[1];
    const known = remembered(token);
    if (known) {
      res.locals.principal = known;
      return next();
    }
    verify(token).then(
      ({ payload }) => {
        if (typeof payload.sub !== "string" || payload.sub === "") return unauthorized(res, req, "the token has no subject (sub)");
        if (!SUBJECT.test(payload.sub)) return unauthorized(res, req, "the token's subject (sub) must be 1-256 printable ASCII characters");
        const customer = payload[CUSTOMER_CLAIM];
        if (customer !== undefined && (typeof customer !== "string" || !isUuid(customer)))
          return unauthorized(res, req, `claim ${CUSTOMER_CLAIM} must be a customer id (a UUID)`);
        const principal: Principal = {
          subject: payload.sub,
          scopes: scopesOf(payload),
          ...(customer === undefined ? {} : { customerId: customer.toLowerCase() }),
        };
        remember(token, principal, payload);
        res.locals.principal = principal;
        next();
      },
      (error: unknown) => {
        if (isKeySourceOutage(error)) return next(new UnavailableError("the identity provider's keys cannot be fetched", { cause: error }));
        unauthorized(res, req, describe(error as errors.JOSEError));
      },
    );
  };

  const authorize =
    (required: readonly string[]): RequestHandler =>
    (req, res, next) => {
      const principal = principalOf(res);
      if (!principal) return unauthorized(res, req, undefined);
      const missing = required.filter((scope) => !principal.scopes.includes(scope));
      if (missing.length === 0) return next();
      res.setHeader("WWW-Authenticate", `Bearer realm=${quoted(REALM)}, error="insufficient_scope", scope=${quoted(required.join(" "))}`);
      sendProblem(res, {
        type: "/problems/forbidden",
        title: "Forbidden",
        status: 403,
        detail: `missing scope${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`,
        instance: req.originalUrl,
      });
    };

  return { authenticate, authorize };
};
