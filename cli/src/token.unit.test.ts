import { decodeJwt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KNOWN_SCOPES, runTokenCommand } from "./token.js";

afterEach(() => vi.restoreAllMocks());

const printed = () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  return { out: () => log.mock.calls.map((c) => String(c[0])), err: () => error.mock.calls.map((c) => String(c[0])) };
};

describe("bazaar token mint", () => {
  it("prints a token with the subject, scopes and ttl asked for", async () => {
    const io = printed();
    expect(await runTokenCommand(["mint", "--scopes", "read,orders:write", "--subject", "ops", "--ttl", "600"], {})).toBe(0);
    const claims = decodeJwt(io.out()[0] ?? "");
    expect(claims).toMatchObject({ sub: "ops", scope: "read orders:write" });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it("defaults to every scope, subject dev, one hour", async () => {
    const io = printed();
    expect(await runTokenCommand(["mint"], {})).toBe(0);
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
    expect(await runTokenCommand(args, {})).toBe(2);
    expect(io.out()).toEqual([]);
    expect(io.err().length).toBe(1);
  });
});
