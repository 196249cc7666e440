import { createHmac } from "node:crypto";
import { ValidationError } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { CONSISTENCY_TOKEN_TTL_SECONDS, createConsistencyTokens } from "./consistencyTokens.js";
import { readConsistency } from "./readConsistency.js";

let clock = Date.parse("2026-06-01T00:00:00Z");
const tokens = createConsistencyTokens("secret-of-at-least-thirty-two-bytes!!", () => clock);

describe("consistency tokens", () => {
  it("round-trips positions for the caller they were issued to: base64url JSON plus an HMAC", () => {
    const token = tokens.issue(
      [
        { streamId: "product-1", version: 3 },
        { streamId: "stock-1", version: 1 },
      ],
      "ada",
    )!;
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString())).toMatchObject({
      p: [
        ["product-1", 3],
        ["stock-1", 1],
      ],
    });
    expect(tokens.read(token, "ada")).toEqual(
      new Map([
        ["product-1", 3],
        ["stock-1", 1],
      ]),
    );
  });

  it("signs with the secret's bytes: a token from a replica that keys its HMAC with the secret's text reads the same", () => {
    const payload = Buffer.from(JSON.stringify({ e: clock / 1000 + 60, p: [["product-1", 3]] })).toString("base64url");
    const signature = createHmac("sha256", "secret-of-at-least-thirty-two-bytes!!").update(`${payload}\nada`).digest("base64url");
    expect(tokens.read(`${payload}.${signature}`, "ada")).toEqual(new Map([["product-1", 3]]));
  });

  it("issues nothing for a command that moved no stream", () => {
    expect(tokens.issue([undefined, { streamId: "", version: 0 }], "ada")).toBeUndefined();
  });

  it("refuses a token signed with another secret, altered, or no token at all", () => {
    const foreign = createConsistencyTokens("other-secret-of-at-least-32-bytes!!").issue([{ streamId: "product-1", version: 3 }], "ada")!;
    for (const bad of [foreign, `${foreign}.x`, "abc", "", `${tokens.issue([{ streamId: "p", version: 1 }], "ada")!.slice(0, -2)}AA`]) {
      expect(() => tokens.read(bad, "ada"), bad).toThrow(ValidationError);
    }
  });

  it("refuses a token presented by another caller than the one it was issued to", () => {
    const token = tokens.issue([{ streamId: "product-1", version: 3 }], "ada")!;
    expect(() => tokens.read(token, "mallory")).toThrow(/not issued to this caller/);
  });

  it("refuses a token once it expired", () => {
    const token = tokens.issue([{ streamId: "product-1", version: 3 }], "ada")!;
    clock += (CONSISTENCY_TOKEN_TTL_SECONDS - 1) * 1000;
    expect(tokens.read(token, "ada").get("product-1")).toBe(3);
    clock += 2000;
    expect(() => tokens.read(token, "ada")).toThrow(/expired/);
  });

  it("passes a read every position the token holds (the query service picks its aggregate's), and says consistent or stale", () => {
    const token = tokens.issue(
      [
        { streamId: "product-1", version: 3 },
        { streamId: "stock-1", version: 2 },
      ],
      "ada",
    );
    expect(readConsistency(tokens, "ada", token, 2000).consistency).toEqual({
      minVersion: 0,
      waitMs: 2000,
      positions: [
        { streamId: "product-1", version: 3 },
        { streamId: "stock-1", version: 2 },
      ],
    });
    expect(readConsistency(tokens, "ada", undefined, 2000).consistency).toBeUndefined();
    expect(readConsistency(tokens, "ada", undefined, 2000).header(false)).toEqual({});
    expect(readConsistency(tokens, "ada", token, 2000).header(true)).toEqual({ "X-Consistency": "stale" });
  });
});
