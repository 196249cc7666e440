import { describe, expect, it } from "vitest";
import { ValidationError } from "./errors.js";
import { isUuid, parseId } from "./ids.js";

const ID = "0b7e4c1a-3f2d-4e5b-9a8c-1d2e3f4a5b6c";

describe("isUuid", () => {
  it("accepts a UUID in either case and refuses anything else", () => {
    expect(isUuid(ID)).toBe(true);
    expect(isUuid(ID.toUpperCase())).toBe(true);
    for (const bad of ["", "product-" + ID, ID + " ", ID.slice(1), ID.replaceAll("-", ""), "0b7e4c1a-3f2d-4e5b-9a8c-1d2e3f4a5b6g"])
      expect(isUuid(bad), bad).toBe(false);
  });
});

describe("parseId", () => {
  it("returns the id in its one spelling, lower case", () => {
    expect(parseId(ID.toUpperCase(), "productId")).toBe(ID);
    expect(parseId(ID, "productId")).toBe(ID);
  });

  it("throws a ValidationError naming the field for a value that is not a UUID", () => {
    let caught: unknown;
    try {
      parseId("42", "lines[1].productId");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).violations).toEqual([{ field: "lines[1].productId", message: "must be a UUID" }]);
  });
});
