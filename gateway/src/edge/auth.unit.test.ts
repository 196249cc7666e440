import { createLogger } from "@bazaar/runtime";
import express, { type Express } from "express";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runTokenCommand } from "../../../cli/src/token.js";
import { problemHandler } from "../http/problem.js";
import { createAuthenticator, type AuthConfig, type Principal } from "./auth.js";
import { DEV_HS256_SECRET } from "./devSecret.js";
import { mintToken } from "./tokens.js";

const SECRET = "test-secret-of-a-reasonable-length-0123456789";

const listen = async (app: Express): Promise<{ base: string; server: Server }> => {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

/** A throwaway app: GET /whoami needs a token, POST /products needs catalog:write. */
const appWith = (config: AuthConfig): Express => {
  const { authenticate, authorize } = createAuthenticator(config);
  const app = express();
  app.use(authenticate);
  app.get("/whoami", (_req, res) => {
    res.json(res.locals.principal as Principal);
  });
  app.post("/products", authorize(["catalog:write"]), (_req, res) => {
    res.status(201).json({ ok: true });
  });
  app.use(problemHandler(createLogger("auth-test", {})));
  return app;
};

const servers: Server[] = [];
let base: string;

beforeAll(async () => {
  const started = await listen(appWith({ hs256Secret: SECRET }));
  servers.push(started.server);
  base = started.base;
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const get = (path: string, token?: string, at = base) => fetch(`${at}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

const expectProblem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const problem = (await res.json()) as { status: number; detail: string; type: string };
  expect(problem.status).toBe(status);
  return problem;
};

describe("authenticate", () => {
  it("accepts a valid token and exposes subject and scopes", async () => {
    const token = await mintToken({ secret: SECRET, subject: "alice", scopes: ["read", "orders:write"], ttlSeconds: 60 });
    const res = await get("/whoami", token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ subject: "alice", scopes: ["read", "orders:write"] });
  });

  it("answers a request without a token 401 with a Bearer challenge", async () => {
    const res = await get("/whoami");
    await expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="bazaar"');
  });

  it("refuses an expired token: 401 invalid_token, described", async () => {
    const token = await mintToken({ secret: SECRET, subject: "alice", scopes: ["read"], ttlSeconds: -60 });
    const res = await get("/whoami", token);
    const problem = await expectProblem(res, 401);
    expect(problem.detail).toMatch(/expired/);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="bazaar", error="invalid_token", error_description=".*expired.*"$/);
  });

  it("refuses a token signed with another secret", async () => {
    const token = await mintToken({ secret: "another-secret-entirely-0123456789abcdef", subject: "mallory", scopes: ["catalog:write"], ttlSeconds: 60 });
    const res = await get("/whoami", token);
    const problem = await expectProblem(res, 401);
    expect(problem.detail).toMatch(/signature/);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("refuses a token whose payload was altered", async () => {
    const token = await mintToken({ secret: SECRET, subject: "bob", scopes: ["read"], ttlSeconds: 60 });
    const [header, , signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: "bob", scope: "catalog:write", exp: Math.floor(Date.now() / 1000) + 60 })).toString("base64url");
    await expectProblem(await get("/whoami", `${header}.${forged}.${signature}`), 401);
  });

  it.each([
    ["garbage", "Bearer not-a-jwt"],
    ["another scheme", "Basic YWxpY2U6c2VjcmV0"],
    ["no token after Bearer", "Bearer "],
  ])("refuses a malformed Authorization header (%s)", async (_label, header) => {
    const res = await fetch(`${base}/whoami`, { headers: { authorization: header } });
    await expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("refuses an unsigned (alg none) token", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify({ sub: "eve", scope: "catalog:write", exp: Math.floor(Date.now() / 1000) + 60 })).toString("base64url");
    await expectProblem(await get("/whoami", `${header}.${payload}.`), 401);
  });

  // sub names the actor, exp ends the token's life, iat bounds its age: each is required.
  it.each([
    { missing: "sub", why: "a token without a subject" },
    { missing: "exp", why: "a token without exp (it would never expire)" },
    { missing: "iat", why: "a token without iat (its age cannot be bounded)" },
  ] as const)("refuses $why", async ({ missing }) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: "alice", iat: now, exp: now + 60 };
    const { [missing]: _left, ...kept } = claims;
    const token = await new SignJWT({ scope: "read", ...kept }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(SECRET));
    const problem = await expectProblem(await get("/whoami", token), 401);
    expect(problem.detail).toBe(`the token has no ${missing} claim`);
  });

  it("refuses a token older than the maximum age even when its exp is far away", async () => {
    const issuedAt = Math.floor(Date.now() / 1000) - 2 * 86_400;
    const token = await new SignJWT({ scope: "read" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("alice")
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 365 * 86_400)
      .sign(new TextEncoder().encode(SECRET));
    await expectProblem(await get("/whoami", token), 401);
    const young = await new SignJWT({ scope: "read" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("alice")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(SECRET));
    expect((await get("/whoami", young)).status).toBe(200);
  });

  it.each([
    ["non-ASCII", "zoë"],
    ["a control character", "a\u0001b"],
    ["a space", "a b"],
    ["too long", "x".repeat(257)],
  ])("refuses a subject with %s (it becomes gRPC metadata)", async (_label, subject) => {
    const token = await mintToken({ secret: SECRET, subject, scopes: ["read"], ttlSeconds: 60 });
    const problem = await expectProblem(await get("/whoami", token), 401);
    expect(problem.detail).toMatch(/subject \(sub\) must be 1-256 printable ASCII/);
  });

  it("exposes the customer an end user's token acts for (customer_id, lower-cased)", async () => {
    const token = await mintToken({ secret: SECRET, subject: "ada", scopes: ["read"], ttlSeconds: 60, customerId: "3F2504E0-4F89-41D3-9A0C-0305E82C3301" });
    expect(await (await get("/whoami", token)).json()).toEqual({ subject: "ada", scopes: ["read"], customerId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" });
  });

  it.each([
    ["no UUID", "ada"],
    ["a number", 42],
  ])("refuses a customer_id that is %s", async (_label, customer) => {
    const token = await new SignJWT({ scope: "read", customer_id: customer })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("ada")
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(SECRET));
    const problem = await expectProblem(await get("/whoami", token), 401);
    expect(problem.detail).toMatch(/customer_id/);
  });

  it("reads scopes from an scp array claim too", async () => {
    const token = await new SignJWT({ scp: ["read", "catalog:write"] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("svc")
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(SECRET));
    const res = await get("/whoami", token);
    expect(await res.json()).toEqual({ subject: "svc", scopes: ["read", "catalog:write"] });
  });
});

describe("authorize", () => {
  const post = (token: string) => fetch(`${base}/products`, { method: "POST", headers: { authorization: `Bearer ${token}` } });

  it("lets a token with the scope through", async () => {
    const res = await post(await mintToken({ secret: SECRET, subject: "alice", scopes: ["catalog:write"], ttlSeconds: 60 }));
    expect(res.status).toBe(201);
  });

  it("answers 403 problem+json naming the missing scope", async () => {
    const res = await post(await mintToken({ secret: SECRET, subject: "alice", scopes: ["read", "orders:write"], ttlSeconds: 60 }));
    const problem = await expectProblem(res, 403);
    expect(problem.detail).toContain("catalog:write");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="bazaar", error="insufficient_scope", scope="catalog:write"');
  });
});

describe("a JWKS key source", () => {
  it("verifies an RS256 token against the issuer's keys, issuer and audience", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    const idp = express();
    idp.get("/jwks.json", (_req, res) => {
      res.json({ keys: [jwk] });
    });
    const provider = await listen(idp);
    servers.push(provider.server);
    const gateway = await listen(appWith({ jwksUrl: `${provider.base}/jwks.json`, issuer: "https://idp.test", audience: "bazaar" }));
    servers.push(gateway.server);

    const sign = (claims: { iss: string; aud: string }) =>
      new SignJWT({ scope: "read" })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setSubject("carol")
        .setIssuer(claims.iss)
        .setAudience(claims.aud)
        .setIssuedAt()
        .setExpirationTime("1m")
        .sign(privateKey);

    const ok = await get("/whoami", await sign({ iss: "https://idp.test", aud: "bazaar" }), gateway.base);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ subject: "carol", scopes: ["read"] });

    const wrongAudience = await expectProblem(await get("/whoami", await sign({ iss: "https://idp.test", aud: "other" }), gateway.base), 401);
    expect(wrongAudience.detail).toMatch(/aud/);
    // An HS256 token made with any secret is no substitute for the issuer's signature.
    await expectProblem(await get("/whoami", await mintToken({ secret: SECRET, subject: "carol", scopes: ["read"], ttlSeconds: 60 }), gateway.base), 401);
  });

  it("answers 503 when the issuer's keys cannot be fetched (an outage, not the caller's fault)", async () => {
    const gateway = await listen(appWith({ jwksUrl: "http://127.0.0.1:1/jwks.json", issuer: "https://idp.test", audience: "bazaar" }));
    servers.push(gateway.server);
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setSubject("dave")
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(privateKey);
    await expectProblem(await get("/whoami", token, gateway.base), 503);
  });
});

describe("the CLI's tokens", () => {
  it("are accepted by a gateway on the dev secret", async () => {
    const gateway = await listen(appWith({ hs256Secret: DEV_HS256_SECRET }));
    servers.push(gateway.server);
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    let token: string;
    try {
      expect(await runTokenCommand(["mint", "--staff", "--scopes", "catalog:write", "--subject", "ops"], { BAZAAR_MODE: "development" })).toBe(0);
      token = String(printed.mock.calls[0]?.[0]);
    } finally {
      printed.mockRestore();
    }
    const res = await fetch(`${gateway.base}/products`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(201);
  });
});
