import { decodeJwt, jwtVerify } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CUSTOMER_SCOPES, KNOWN_SCOPES, runTokenCommand } from "./token.js";

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
    expect(await runTokenCommand(["mint", "--staff", "--scopes", "read,orders:write", "--subject", "ops", "--ttl", "600"], DEVELOPMENT)).toBe(0);
    const claims = decodeJwt(io.out()[0] ?? "");
    expect(claims).toMatchObject({ sub: "ops", scope: "read orders:write" });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it("--staff defaults to every scope (staff included), subject dev, one hour", async () => {
    const io = printed();
    expect(await runTokenCommand(["mint", "--staff"], DEVELOPMENT)).toBe(0);
    const claims = decodeJwt(io.out()[0] ?? "");
    expect(claims).toMatchObject({ sub: "dev", scope: KNOWN_SCOPES.join(" ") });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
  });

  it.each([
    ["an unknown scope", ["mint", "--staff", "--scopes", "read,admin"]],
    ["a bad ttl", ["mint", "--staff", "--ttl", "soon"]],
    ["no subcommand", []],
    ["neither --staff nor --customer", ["mint"]],
    ["both --staff and --customer", ["mint", "--staff", "--customer", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"]],
    ["a customer that is no UUID", ["mint", "--customer", "ada"]],
  ])("exits 2 on %s", async (_label, args) => {
    const io = printed();
    expect(await runTokenCommand(args, DEVELOPMENT)).toBe(2);
    expect(io.out()).toEqual([]);
    expect(io.err().length).toBe(1);
  });

  it("--customer mints an end user's token: customer_id, the customer scopes, a subject naming the customer", async () => {
    const io = printed();
    expect(await runTokenCommand(["mint", "--customer", "3F2504E0-4F89-41D3-9A0C-0305E82C3301"], DEVELOPMENT)).toBe(0);
    const claims = decodeJwt(io.out()[0] ?? "");
    expect(claims).toMatchObject({
      customer_id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
      scope: CUSTOMER_SCOPES.join(" "),
      sub: "customer-3F2504E0-4F89-41D3-9A0C-0305E82C3301",
    });
    expect(String(claims.scope)).not.toContain("staff");
  });

  it("signs with AUTH_HS256_SECRET when it is set", async () => {
    const io = printed();
    const secret = "a-configured-secret-of-at-least-32-bytes!";
    expect(await runTokenCommand(["mint", "--staff"], { AUTH_HS256_SECRET: secret })).toBe(0);
    await expect(jwtVerify(io.out()[0] ?? "", new TextEncoder().encode(secret))).resolves.toBeDefined();
  });

  it.each([
    ["no secret outside development mode", {}, /AUTH_HS256_SECRET is not set/],
    ["a secret shorter than 32 bytes", { AUTH_HS256_SECRET: "short-secret" }, /at least 32 bytes/],
  ])("refuses to mint with %s", async (_label, env: Record<string, string>, message) => {
    const io = printed();
    expect(await runTokenCommand(["mint", "--staff"], env)).toBe(2);
    expect(io.out()).toEqual([]);
    expect(io.err().join("\n")).toMatch(message);
  });
});
