import { ValidationError } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { createCursorSeal } from "./signedCursors.js";

const seal = createCursorSeal("a-secret-of-at-least-thirty-two-bytes!!");

describe("sealed page cursors", () => {
  it("open what they sealed", () => {
    const cursor = seal.seal('[1299,"3f2c…"]')!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(seal.open(cursor)).toBe('[1299,"3f2c…"]');
  });

  it("seal no cursor as null (the last page)", () => {
    expect(seal.seal("")).toBeNull();
  });

  it.each([
    ["a payload altered by one character", (c: string) => `${c[0] === "A" ? "B" : "A"}${c.slice(1)}`],
    ["a forged MAC", (c: string) => `${c.split(".")[0]}.${"A".repeat(22)}`],
    ["no MAC", (c: string) => c.split(".")[0]!],
    ["a cursor of another secret", () => createCursorSeal("another-secret-of-at-least-32-bytes!!").seal("x")!],
    ["an extra part", (c: string) => `${c}.x`],
    ["garbage", () => "bm90LWEtY3Vyc29y"],
  ])("refuse %s with a ValidationError naming the field", (_label, tamper) => {
    const tampered = tamper(seal.seal("search-after-token")!);
    expect(() => seal.open(tampered, "cursor")).toThrow(ValidationError);
    try {
      seal.open(tampered, "cursor");
    } catch (error) {
      expect((error as ValidationError).violations).toEqual([{ field: "cursor", message: "must be a cursor from a previous response" }]);
    }
  });
});
