import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import express from "express";
import { jwtVerify } from "jose";
import { createSecretKey } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { protection } from "../edge/protection.js";
import { consoleRoutes, type ConsoleOptions } from "./console.js";

const SECRET = "a-test-hs256-secret-of-at-least-32-bytes";
const assets = mkdtempSync(`${tmpdir()}/console-assets-`);
mkdirSync(`${assets}/assets`);
writeFileSync(`${assets}/index.html`, '<!doctype html><script type="module" src="/console/assets/app.js"></script>');
writeFileSync(`${assets}/assets/app.js`, "export {};");

const servers: { close(): void }[] = [];
afterAll(() => servers.forEach((server) => server.close()));

/** The console mounted as the gateway mounts it: behind the edge's security headers. */
const serve = async (options: ConsoleOptions) => {
  const app = express();
  app.use(protection({ rateLimit: { limit: 0, windowMs: 60_000 }, bodyLimit: "16kb" }).headers);
  app.use("/console", consoleRoutes({ assetsDir: assets, ...options }));
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/console`;
};

describe("/console", () => {
  it("serves the page and its assets under a CSP that allows this origin's scripts only (no inline code)", async () => {
    const base = await serve({});
    for (const path of ["/", "/products/x", "/assets/app.js"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
    }
    expect(await (await fetch(`${base}/products/x`)).text()).toContain("/console/assets/app.js");
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it("outside development mode: no development token, and no endpoint for one", async () => {
    const base = await serve({});
    expect(await (await fetch(`${base}/session.json`)).json()).toEqual({ devToken: false });
    // The fallback answers GET only: a POST reaches nothing.
    expect((await fetch(`${base}/dev-token`, { method: "POST" })).status).toBe(404);
  });

  it("in development mode: a staff token signed with the gateway's HS256 secret", async () => {
    const base = await serve({ devToken: { hs256Secret: SECRET, issuer: "bazaar-test" } });
    expect(await (await fetch(`${base}/session.json`)).json()).toEqual({ devToken: true });
    const response = await fetch(`${base}/dev-token`, { method: "POST" });
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { token } = (await response.json()) as { token: string };
    const { payload } = await jwtVerify(token, createSecretKey(Buffer.from(SECRET, "utf8")), { issuer: "bazaar-test" });
    expect(String(payload.scope).split(" ")).toEqual(expect.arrayContaining(["staff", "read", "catalog:write"]));
  });

  it("says the console is not built when its assets are missing", async () => {
    const base = await serve({ assetsDir: `${assets}/nowhere` });
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/not built/);
  });
});
