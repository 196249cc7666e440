import { describe, expect, it } from "vitest";
import { ValidationError } from "./errors.js";
import { collectViolations, createViolations } from "./violations.js";

const violationsThrownBy = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.violations;
    throw error;
  }
  return undefined;
};

describe("createViolations", () => {
  it("throws nothing while every check passed", () => {
    const violations = createViolations();
    violations.check(true, "name", "must not be blank");
    expect(() => violations.throwIfAny()).not.toThrow();
  });

  it("throws every failed check, added violation and bad id at once, in the order seen", () => {
    const violations = createViolations();
    violations.check(false, "name", "must not be blank");
    violations.check(true, "sku", "never reported");
    violations.add("address", "is required");
    expect(violations.id("not-an-id", "customerId")).toBe("not-an-id");
    expect(violations.id("0B7E4C1A-3F2D-4E5B-9A8C-1D2E3F4A5B6C", "orderId")).toBe("0b7e4c1a-3f2d-4e5b-9a8c-1d2e3f4a5b6c");
    expect(violationsThrownBy(() => violations.throwIfAny())).toEqual([
      { field: "name", message: "must not be blank" },
      { field: "address", message: "is required" },
      { field: "customerId", message: "must be a UUID" },
    ]);
  });
});

describe("collectViolations", () => {
  it("returns what the rules built when they found nothing", () => {
    expect(collectViolations((v) => ({ id: v.id("0b7e4c1a-3f2d-4e5b-9a8c-1d2e3f4a5b6c", "id") }))).toEqual({ id: "0b7e4c1a-3f2d-4e5b-9a8c-1d2e3f4a5b6c" });
  });

  it("throws what the rules found instead of returning", () => {
    expect(
      violationsThrownBy(() =>
        collectViolations((v) => {
          v.check(false, "price.amount", "must be positive");
          v.check(false, "price.currency", "must be an ISO 4217 code");
          return "built";
        }),
      ),
    ).toEqual([
      { field: "price.amount", message: "must be positive" },
      { field: "price.currency", message: "must be an ISO 4217 code" },
    ]);
  });
});
