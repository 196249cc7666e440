import { ConfigError, DEV_SERVICE_AUTH_SECRET } from "@bazaar/runtime";
import { describe, expect, it } from "vitest";
import { loadGatewayConfig } from "./config.js";
import { DEV_CONSISTENCY_TOKEN_SECRET, DEV_HS256_SECRET } from "./edge/devSecret.js";

const DEVELOPMENT = { BAZAAR_MODE: "development" };
const SECRETS = { AUTH_HS256_SECRET: "s".repeat(32), CONSISTENCY_TOKEN_SECRET: "c".repeat(48), SERVICE_AUTH_SECRET: "g".repeat(40) };

/** The message a refused configuration stops the gateway with. */
const refusal = (env: Record<string, string>) => {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
};

describe("gateway config", () => {
  it("derives the idempotency lease from the request budget unless it is set", () => {
    expect(loadGatewayConfig(DEVELOPMENT).idempotencyLeaseMs).toBe(10_000);
    expect(loadGatewayConfig({ ...DEVELOPMENT, REQUEST_BUDGET_MS: "1500" }).idempotencyLeaseMs).toBe(3_000);
    expect(loadGatewayConfig({ ...DEVELOPMENT, REQUEST_BUDGET_MS: "1500", IDEMPOTENCY_LEASE_MS: "60000" }).idempotencyLeaseMs).toBe(60_000);
  });
});

describe("secrets", () => {
  it("refuses to start outside development mode without an HS256 secret, naming the variable", () => {
    expect(refusal({ CONSISTENCY_TOKEN_SECRET: SECRETS.CONSISTENCY_TOKEN_SECRET })).toMatch(/AUTH_HS256_SECRET: is required unless BAZAAR_MODE=development/);
  });

  it("refuses to start outside development mode without a service token secret, naming the variable", () => {
    expect(refusal({ ...SECRETS, SERVICE_AUTH_SECRET: "" })).toMatch(/SERVICE_AUTH_SECRET: is required unless BAZAAR_MODE=development/);
    expect(refusal({ ...SECRETS, SERVICE_AUTH_SECRET: "short" })).toMatch(/SERVICE_AUTH_SECRET: must be at least 32 bytes/);
  });

  it("refuses to start outside development mode without a consistency token secret, naming the variable", () => {
    expect(refusal({ AUTH_HS256_SECRET: SECRETS.AUTH_HS256_SECRET })).toMatch(/CONSISTENCY_TOKEN_SECRET: is required unless BAZAAR_MODE=development/);
  });

  it("names both when neither is set, and production is the default mode", () => {
    const message = refusal({});
    expect(message).toContain("AUTH_HS256_SECRET");
    expect(message).toContain("CONSISTENCY_TOKEN_SECRET");
    expect(refusal({ BAZAAR_MODE: "production" })).toContain("AUTH_HS256_SECRET");
    expect(refusal({ AUTH_HS256_SECRET: "", CONSISTENCY_TOKEN_SECRET: SECRETS.CONSISTENCY_TOKEN_SECRET })).toMatch(/AUTH_HS256_SECRET: is required/);
  });

  it("refuses an unknown mode", () => {
    expect(refusal({ ...SECRETS, BAZAAR_MODE: "dev" })).toContain("BAZAAR_MODE");
  });

  it("starts in production with both secrets given, and uses them", () => {
    const config = loadGatewayConfig(SECRETS);
    expect(config.mode).toBe("production");
    expect(config.auth).toMatchObject({ hs256Secret: SECRETS.AUTH_HS256_SECRET, maxTokenAgeSeconds: 86_400 });
    expect(config.consistency.secret).toBe(SECRETS.CONSISTENCY_TOKEN_SECRET);
    expect(config.serviceAuth.secret).toBe(SECRETS.SERVICE_AUTH_SECRET);
    expect(config.developmentSecrets).toEqual([]);
  });

  it("uses the built-in secrets only in development mode, and says which", () => {
    const config = loadGatewayConfig(DEVELOPMENT);
    expect(config.auth).toMatchObject({ hs256Secret: DEV_HS256_SECRET });
    expect(config.consistency.secret).toBe(DEV_CONSISTENCY_TOKEN_SECRET);
    expect(config.serviceAuth.secret).toBe(DEV_SERVICE_AUTH_SECRET);
    expect(config.developmentSecrets).toEqual(["AUTH_HS256_SECRET", "CONSISTENCY_TOKEN_SECRET", "SERVICE_AUTH_SECRET"]);
  });

  it.each([
    ["production", {}],
    ["development", DEVELOPMENT],
  ])("refuses secrets shorter than 32 bytes (%s)", (_mode, mode) => {
    expect(refusal({ ...mode, ...SECRETS, AUTH_HS256_SECRET: "x".repeat(31) })).toMatch(/AUTH_HS256_SECRET: must be at least 32 bytes/);
    expect(refusal({ ...mode, ...SECRETS, CONSISTENCY_TOKEN_SECRET: "short" })).toMatch(/CONSISTENCY_TOKEN_SECRET: must be at least 32 bytes/);
    // Bytes, not characters: 11 three-byte characters are 33 bytes.
    expect(loadGatewayConfig({ ...mode, ...SECRETS, AUTH_HS256_SECRET: "€".repeat(11) }).auth).toMatchObject({ hs256Secret: "€".repeat(11) });
  });

  it("needs no HS256 secret with a JWKS URL, but then requires issuer and audience", () => {
    const jwks = {
      CONSISTENCY_TOKEN_SECRET: SECRETS.CONSISTENCY_TOKEN_SECRET,
      SERVICE_AUTH_SECRET: SECRETS.SERVICE_AUTH_SECRET,
      AUTH_JWKS_URL: "https://idp.example/jwks.json",
    };
    expect(refusal(jwks)).toMatch(/AUTH_ISSUER: is required with AUTH_JWKS_URL[\s\S]*AUTH_AUDIENCE: is required with AUTH_JWKS_URL/);
    expect(refusal({ ...jwks, AUTH_ISSUER: "https://idp.example" })).toMatch(/AUTH_AUDIENCE/);
    expect(refusal({ ...DEVELOPMENT, ...jwks, AUTH_AUDIENCE: "bazaar" })).toMatch(/AUTH_ISSUER/);
    const config = loadGatewayConfig({ ...jwks, AUTH_ISSUER: "https://idp.example", AUTH_AUDIENCE: "bazaar", AUTH_MAX_TOKEN_AGE: "3600" });
    expect(config.auth).toEqual({ jwksUrl: jwks.AUTH_JWKS_URL, issuer: "https://idp.example", audience: "bazaar", maxTokenAgeSeconds: 3600 });
  });
});
