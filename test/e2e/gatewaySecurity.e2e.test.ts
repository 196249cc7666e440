import { freePort, runProcess, type RunningProcess } from "@bazaar/testing";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_HS256_SECRET } from "../../gateway/src/edge/index.js";
import { bearer } from "./auth.js";
import { metricsUrlOf, startContexts, type Contexts } from "./contexts.js";
import { root } from "./platform.js";

/**
 * Issue #11 at the built gateway: what an attacker would try first — a gateway started without
 * secrets, tokens that never expire or name nobody.
 */
let contexts: Contexts;
let gateway: RunningProcess;
let base: string;

beforeAll(async () => {
  contexts = await startContexts(["catalog", "inventory", "ordering", "customer"]);
  ({ process: gateway, base } = await contexts.startGateway());
});

afterAll(async () => {
  await gateway?.stop();
  await contexts?.stopAll();
  await contexts?.cleanup();
});

const devKey = new TextEncoder().encode(DEV_HS256_SECRET);
const whoCanRead = (token: string) => fetch(`${base}/v1/products?q=mug`, { headers: { authorization: `Bearer ${token}` } });

describe("secrets", () => {
  it("the gateway refuses to start outside development mode without its secrets, naming each variable", async () => {
    const { code, output } = await runProcess(
      `${root}gateway/dist/main.js`,
      [],
      { BAZAAR_MODE: "production", AUTH_HS256_SECRET: "", CONSISTENCY_TOKEN_SECRET: "", GATEWAY_PORT: String(await freePort()) },
      60_000,
    );
    expect(code).not.toBe(0);
    expect(output).toMatch(/AUTH_HS256_SECRET: is required unless BAZAAR_MODE=development/);
    expect(output).toMatch(/CONSISTENCY_TOKEN_SECRET: is required unless BAZAAR_MODE=development/);
    expect(output).not.toContain("gateway listening");
  });

  it("the gateway refuses an HS256 secret shorter than 32 bytes, also in development mode", async () => {
    const { code, output } = await runProcess(
      `${root}gateway/dist/main.js`,
      [],
      { BAZAAR_MODE: "development", AUTH_HS256_SECRET: "too-short", GATEWAY_PORT: String(await freePort()) },
      60_000,
    );
    expect(code).not.toBe(0);
    expect(output).toMatch(/AUTH_HS256_SECRET: must be at least 32 bytes/);
  });

  it("the running gateway logged no token", () => {
    expect(gateway.output()).toContain("gateway listening");
    expect(gateway.output()).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]*/);
  });
});

describe("tokens", () => {
  const signed = (build: (jwt: SignJWT) => SignJWT) => build(new SignJWT({ scope: "read" }).setProtectedHeader({ alg: "HS256" })).sign(devKey);

  it("a well-formed token is accepted (the control for the refusals below)", async () => {
    const res = await whoCanRead(await signed((jwt) => jwt.setSubject("e2e-ok").setIssuedAt().setExpirationTime("5m")));
    expect(res.status).toBe(200);
  });

  it.each([
    ["without exp", (jwt: SignJWT) => jwt.setSubject("e2e-noexp").setIssuedAt(), /no exp claim/],
    ["without sub", (jwt: SignJWT) => jwt.setIssuedAt().setExpirationTime("5m"), /no sub claim/],
    ["without iat", (jwt: SignJWT) => jwt.setSubject("e2e-noiat").setExpirationTime("5m"), /no iat claim/],
    [
      "older than AUTH_MAX_TOKEN_AGE",
      (jwt: SignJWT) =>
        jwt
          .setSubject("e2e-old")
          .setIssuedAt(Math.floor(Date.now() / 1000) - 2 * 86_400)
          .setExpirationTime("5m"),
      /./,
    ],
    ["with a non-ASCII sub", (jwt: SignJWT) => jwt.setSubject("zoë").setIssuedAt().setExpirationTime("5m"), /printable ASCII/],
  ])("a token %s is 401", async (_label, build, detail) => {
    const res = await whoCanRead(await signed(build));
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
  });
});

describe("object-level authorization", () => {
  const address = { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" };
  const asToken =
    (token: string) =>
    (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
      });
  const customerToken = (customerId: string) =>
    new SignJWT({ scope: "read orders:write customers:write", customer_id: customerId })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(`e2e-${customerId}`)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(devKey);

  it("an end user's token reaches its own customer and orders only; staff reach all", async () => {
    const staff = asToken(bearer.replace(/^Bearer /, ""));
    const register = async (name: string) => {
      const res = await staff("/v1/customers", { method: "POST", body: JSON.stringify({ name, email: `${name}-${Date.now()}@example.com`, address }) });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const [ada, bob] = [await register("ada"), await register("bob")];
    const product = await staff("/v1/products", {
      method: "POST",
      body: JSON.stringify({ sku: `OLA-${Date.now()}`, name: "Owned mug", category: "kitchen", price: { amount: 500, currency: "EUR" } }),
    });
    const productId = ((await product.json()) as { id: string }).id;
    await staff(`/v1/inventory/${productId}/restock`, { method: "POST", body: JSON.stringify({ quantity: 5 }) });

    const asAda = asToken(await customerToken(ada));
    const asBob = asToken(await customerToken(bob));
    const placed = await asAda("/v1/orders?flow=sync", { method: "POST", body: JSON.stringify({ customerId: ada, lines: [{ productId, quantity: 1 }] }) });
    expect(placed.status).toBe(201);
    const orderId = ((await placed.json()) as { id: string }).id;

    // Ada: her own profile, history, order and its saga.
    expect((await asAda(`/v1/customers/${ada}`)).status).toBe(200);
    expect((await asAda(`/v1/orders/${orderId}`)).status).toBe(200);
    expect((await asAda(`/v1/sagas/${orderId}`)).status).toBe(200);
    // Bob: 403 where he names Ada, 404 for her order and saga, and her order is not cancelled.
    expect((await asBob(`/v1/customers/${ada}`)).status).toBe(403);
    expect((await asBob(`/v1/customers/${ada}/orders`)).status).toBe(403);
    expect((await asBob(`/v1/customers/${ada}/change-address`, { method: "POST", body: JSON.stringify({ address }) })).status).toBe(403);
    expect((await asBob("/v1/orders", { method: "POST", body: JSON.stringify({ customerId: ada, lines: [{ productId, quantity: 1 }] }) })).status).toBe(403);
    expect((await asBob(`/v1/orders/${orderId}`)).status).toBe(404);
    expect((await asBob(`/v1/sagas/${orderId}`)).status).toBe(404);
    expect((await asBob(`/v1/orders/${orderId}/cancel`, { method: "POST", body: "{}" })).status).toBe(404);
    expect(((await (await staff(`/v1/orders/${orderId}`)).json()) as { status: string }).status).toBe("CONFIRMED");
    // An end user cannot register customers; staff read Bob's profile.
    expect((await asBob("/v1/customers", { method: "POST", body: JSON.stringify({ name: "eve", email: "eve@example.com", address }) })).status).toBe(403);
    expect((await staff(`/v1/customers/${bob}`)).status).toBe(200);

    // A consistency token is bound to whom it was issued: Ada's works for Ada, not for Bob.
    const moved = await asAda(`/v1/customers/${ada}/change-address`, { method: "POST", body: JSON.stringify({ address: { ...address, line1: "Side St 2" } }) });
    const token = moved.headers.get("x-consistency-token")!;
    expect((await asAda(`/v1/customers/${ada}`, { headers: { "x-consistency-token": token } })).status).toBe(200);
    expect((await staff(`/v1/customers/${ada}`, { headers: { "x-consistency-token": token } })).status).toBe(400);
  });
});

describe("the operations surface", () => {
  it("serves /metrics on its own loopback listener, not on the public port", async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const url = metricsUrlOf(gateway);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const scrape = await fetch(url);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toMatch(/^# HELP /m);
  });

  it("limits a flood of bad tokens from one IP before authentication (429 after RATE_LIMIT_IP_LIMIT)", async () => {
    const limited = await contexts.startGateway({ RATE_LIMIT_IP_LIMIT: "5", RATE_LIMIT_LIMIT: "1000" });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fetch(`${limited.base}/v1/products`, { headers: { authorization: `Bearer bad.${i}.token` } })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    } finally {
      await limited.process.stop();
    }
  });

  it("answers /readyz from a check at most a second old", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${base}/readyz`)));
    expect(answers.every((res) => res.status === 200)).toBe(true);
  });
});
