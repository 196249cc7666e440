import { decodeJwt, jwtVerify } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KNOWN_SCOPES, runTokenCommand } from "./token.js";

afterEach(() => vi.restoreAllMocks());

const DEVELOPMENT = { BAZAAR_MODE: "development" };

const printed = () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  return { out: () => log.mock.calls.map((c) => String(c[0])), err: () => error.mock.calls.map((c) => String(c[0])) };
};

describe("bazaar token mint", () => {
  it("prints a token with the subject, scopes and ttl asked for", async () => {
    const io = printed();
    expect(await runTokenCommand(["mint", "--scopes", "read,orders:write", "--subject", "ops", "--ttl", "600"], DEVELOPMENT)).toBe(0);
    const claims = decodeJwt(io.out()[0] ?? "");
    expect(claims).toMatchObject({ sub: "ops", scope: "read orders:write" });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it("defaults to every scope, subject dev, one hour", async () => {
    const io = printed();
    expect(await runTokenCommand(["mint"], DEVELOPMENT)).toBe(0);
    const claims = decodeJwt(io.out()[0] ?? "");
    expect(claims).toMatchObject({ sub: "dev", scope: KNOWN_SCOPES.join(" ") });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
  });

  it.each([
    ["an unknown scope", ["mint", "--scopes", "read,admin"]],
    ["a bad ttl", ["mint", "--ttl", "soon"]],
    ["no subcommand", []],
  ])("exits 2 on %s", async (_label, args) => {
    const io = printed();
    expect(await runTokenCommand(args, DEVELOPMENT)).toBe(2);
    expect(io.out()).toEqual([]);
    expect(io.err().length).toBe(1);
  });

  it("signs with AUTH_HS256_SECRET when it is set", async () => {
    const io = printed();
    const secret = "a-configured-secret-of-at-least-32-bytes!";
    expect(await runTokenCommand(["mint"], { AUTH_HS256_SECRET: secret })).toBe(0);
    await expect(jwtVerify(io.out()[0] ?? "", new TextEncoder().encode(secret))).resolves.toBeDefined();
  });

  it.each([
    ["no secret outside development mode", {}, /AUTH_HS256_SECRET is not set/],
    ["a secret shorter than 32 bytes", { AUTH_HS256_SECRET: "short-secret" }, /at least 32 bytes/],
  ])("refuses to mint with %s", async (_label, env: Record<string, string>, message) => {
    const io = printed();
    expect(await runTokenCommand(["mint"], env)).toBe(2);
    expect(io.out()).toEqual([]);
    expect(io.err().join("\n")).toMatch(message);
  });
});
