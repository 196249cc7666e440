import { ValidationError } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor.js";

const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("page cursors", () => {
  it("round-trip the sort values of the sort they belong to", () => {
    expect(decodeCursor(encodeCursor("price-asc", [1299, "p-1"]), "price-asc")).toEqual([1299, "p-1"]);
  });

  it.each([
    ["not base64 JSON", "garbage!"],
    ["another sort's cursor", encodeCursor("name", ["Mug", "p-1"])],
    ["no values", raw({ sort: "price-asc", after: [] })],
    ["an object among the values", raw({ sort: "price-asc", after: [{ script: "1" }, "p-1"] })],
    ["too many values", raw({ sort: "price-asc", after: Array.from({ length: 9 }, () => 1) })],
    ["a huge string", raw({ sort: "price-asc", after: ["x".repeat(513)] })],
    ["JSON null", raw(null)],
  ])("refuses %s with a ValidationError naming the cursor", (_what, cursor) => {
    expect(() => decodeCursor(cursor, "price-asc")).toThrow(ValidationError);
    try {
      decodeCursor(cursor, "price-asc");
    } catch (error) {
      expect((error as ValidationError).violations[0]?.field).toBe("cursor");
    }
  });
});
