import { ValidationError } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { createConsistencyTokens } from "./consistencyTokens.js";
import { readConsistency } from "./readConsistency.js";

const tokens = createConsistencyTokens("secret");

describe("consistency tokens", () => {
  it("round-trips positions, and is base64url JSON plus an HMAC", () => {
    const token = tokens.issue([{ streamId: "product-1", version: 3 }, { streamId: "stock-1", version: 1 }])!;
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString())).toEqual([["product-1", 3], ["stock-1", 1]]);
    expect(tokens.read(token)).toEqual(new Map([["product-1", 3], ["stock-1", 1]]));
  });

  it("issues nothing for a command that moved no stream", () => {
    expect(tokens.issue([undefined, { streamId: "", version: 0 }])).toBeUndefined();
  });

  it("refuses a token signed with another secret, altered, or no token at all", () => {
    const foreign = createConsistencyTokens("other").issue([{ streamId: "product-1", version: 3 }])!;
    for (const bad of [foreign, `${foreign}.x`, "abc", "", `${tokens.issue([{ streamId: "p", version: 1 }])!.slice(0, -2)}AA`]) {
      expect(() => tokens.read(bad), bad).toThrow(ValidationError);
    }
  });

  it("asks a read to wait only for the stream it reads", () => {
    const token = tokens.issue([{ streamId: "product-1", version: 3 }]);
    expect(readConsistency(tokens, token, "product-1", 2000).consistency).toEqual({ minVersion: 3, waitMs: 2000 });
    expect(readConsistency(tokens, token, "product-2", 2000).consistency).toBeUndefined();
    expect(readConsistency(tokens, undefined, "product-1", 2000).header(false)).toEqual({});
    expect(readConsistency(tokens, token, "product-1", 2000).header(true)).toEqual({ "X-Consistency": "stale" });
  });
});
