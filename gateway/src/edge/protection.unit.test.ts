import { createLogger } from "@bazaar/runtime";
import express, { type RequestHandler } from "express";
import helmet from "helmet";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemHandler } from "../http/problem.js";
import { createAuthenticator } from "./auth.js";
import { mintToken } from "./tokens.js";
import { protection, recordedHeaders } from "./protection.js";

const SECRET = "protection-test-secret-0123456789abcdef";
const LIMIT = 3;

let server: Server;
let base: string;

/** The order the gateway uses: headers, body parser, authenticate, rate limit, routes, problemHandler. */
beforeAll(async () => {
  const edge = protection({ rateLimit: { limit: LIMIT, windowMs: 60_000 }, bodyLimit: "1kb" });
  const { authenticate } = createAuthenticator({ hs256Secret: SECRET });
  const app = express();
  app.use(edge.headers);
  app.use(edge.json);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/docs", (_req, res) => {
    res.type("html").send("<!doctype html><title>docs</title>");
  });
  app.get("/public", edge.rateLimit, (_req, res) => {
    res.json({ ok: true });
  });
  app.use("/v1", authenticate, edge.rateLimit);
  app.get("/v1/things", (_req, res) => {
    res.json({ ok: true });
  });
  app.post("/v1/things", (req, res) => {
    res.status(201).json({ size: JSON.stringify(req.body).length });
  });
  app.use(problemHandler(createLogger("protection-test", {})));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const tokenFor = (subject: string) => mintToken({ secret: SECRET, subject, scopes: ["read"], ttlSeconds: 60 });
const getAs = async (token: string) => fetch(`${base}/v1/things`, { headers: { authorization: `Bearer ${token}` } });

describe("rate limiting", () => {
  it("answers 429 problem+json with Retry-After and RateLimit headers once a subject is over its limit", async () => {
    const token = await tokenFor("greedy");
    for (let i = 0; i < LIMIT; i += 1) {
      const res = await getAs(token);
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit")).toMatch(/; r=\d+; t=\d+/);
      expect(res.headers.get("ratelimit-policy")).toContain(`q=${LIMIT}`);
    }
    const res = await getAs(token);
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("ratelimit")).toMatch(/; r=0;/);
    const problem = (await res.json()) as { status: number; title: string };
    expect(problem).toMatchObject({ status: 429, title: "Too many requests" });
  });

  it("counts each subject apart", async () => {
    const greedy = await tokenFor("greedy-2");
    for (let i = 0; i <= LIMIT; i += 1) await getAs(greedy);
    expect((await getAs(greedy)).status).toBe(429);
    expect((await getAs(await tokenFor("modest"))).status).toBe(200);
  });

  it("falls back to the client's IP when nobody is authenticated", async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i += 1) statuses.push((await fetch(`${base}/public`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("never limits the probes", async () => {
    const edge = protection({ rateLimit: { limit: 1, windowMs: 60_000 }, bodyLimit: "1kb" });
    const app = express();
    app.use(edge.rateLimit);
    app.get("/healthz", (_req, res) => {
      res.json({ status: "ok" });
    });
    const probe = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => probe.once("listening", resolve));
    const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/healthz`;
    const statuses = [(await fetch(url)).status, (await fetch(url)).status, (await fetch(url)).status];
    await new Promise((resolve) => probe.close(resolve));
    expect(statuses).toEqual([200, 200, 200]);
  });
});

describe("security headers", () => {
  it("locks JSON responses down", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=/);
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("replays exactly the headers helmet sets, recorded once", async () => {
    const headersOf = async (headers: RequestHandler) => {
      const app = express();
      app.use((_req, res, next) => (res.setHeader("X-Powered-By", "leak"), next()));
      app.use(headers);
      app.get("/", (_req, res) => void res.json({}));
      const listening = app.listen(0, "127.0.0.1");
      await new Promise((resolve) => listening.once("listening", resolve));
      try {
        const answer = await fetch(`http://127.0.0.1:${(listening.address() as AddressInfo).port}/`);
        return Object.fromEntries([...answer.headers].filter(([name]) => !["date", "etag", "content-length", "connection", "keep-alive"].includes(name)));
      } finally {
        await new Promise((resolve) => listening.close(resolve));
      }
    };
    const replayed = await headersOf(recordedHeaders(helmet()));
    expect(replayed).toEqual(await headersOf(helmet()));
    expect(replayed).toHaveProperty("content-security-policy");
    expect(replayed).not.toHaveProperty("x-powered-by");
  });

  it("lets swagger-ui run under /docs: own scripts and styles, data: images, no https upgrade", async () => {
    const csp = (await fetch(`${base}/docs`)).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("upgrade-insecure-requests");
  });
});

describe("body limit", () => {
  const post = async (body: string) =>
    fetch(`${base}/v1/things`, {
      method: "POST",
      headers: { authorization: `Bearer ${await tokenFor(`poster-${body.length}`)}`, "content-type": "application/json" },
      body,
    });

  it("accepts a body within the limit", async () => {
    expect((await post(JSON.stringify({ note: "x".repeat(500) }))).status).toBe(201);
  });

  it("answers 413 problem+json to a larger one", async () => {
    const res = await post(JSON.stringify({ note: "x".repeat(2000) }));
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});

describe("JSON nesting", () => {
  it("refuses a body nested deeper than the limit with 400, before authentication and anything else reads it", async () => {
    const res = await fetch(`${base}/v1/things`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `${"[".repeat(400)}${"]".repeat(400)}`,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { type: string }).type).toBe("/problems/too-deep");
  });

  it("lets a body at the limit through", async () => {
    const token = await tokenFor("nested");
    const nested = `${'{"a":'.repeat(15)}1${"}".repeat(15)}`;
    const res = await fetch(`${base}/v1/things`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: nested,
    });
    expect(res.status).toBe(201);
  });
});

describe("the per-IP limit in front of authentication", () => {
  it("limits a flood of requests with bad tokens: 401 until the IP's limit, then 429", async () => {
    const edge = protection({ rateLimit: { limit: 1000, ipLimit: 3, windowMs: 60_000 }, bodyLimit: "1kb" });
    const { authenticate } = createAuthenticator({ hs256Secret: SECRET });
    const app = express();
    app.use("/v1", edge.ipRateLimit, authenticate, edge.rateLimit);
    app.get("/v1/things", (_req, res) => {
      res.json({ ok: true });
    });
    app.use(problemHandler(createLogger("protection-test", {})));
    const flooded = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => flooded.once("listening", resolve));
    try {
      const at = `http://127.0.0.1:${(flooded.address() as AddressInfo).port}`;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${at}/v1/things`, { headers: { authorization: `Bearer forged.${i}.token` } })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      // A valid token from the same IP is over the IP's limit too.
      expect((await fetch(`${at}/v1/things`, { headers: { authorization: `Bearer ${await tokenFor("late")}` } })).status).toBe(429);
    } finally {
      await new Promise((resolve) => flooded.close(resolve));
    }
  });
});
