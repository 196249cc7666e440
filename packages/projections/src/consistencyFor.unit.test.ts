import { describe, expect, it } from "vitest";
import { consistencyFor } from "./documentWriter.js";

describe("consistencyFor: the version one aggregate's read must reflect", () => {
  const positions = [
    { streamId: "product-1", version: 3 },
    { streamId: "stock-1", version: 2 },
  ];

  it("takes the position of the aggregate's own stream from those a caller presents", () => {
    expect(consistencyFor("product-1", { minVersion: 0, waitMs: 2000, positions })).toEqual({ minVersion: 3, waitMs: 2000 });
    expect(consistencyFor("stock-1", { minVersion: 0, waitMs: 500, positions })).toEqual({ minVersion: 2, waitMs: 500 });
  });

  it("asks nothing when no position is about this aggregate, or nothing was presented", () => {
    expect(consistencyFor("product-2", { minVersion: 0, waitMs: 2000, positions })).toBeUndefined();
    expect(consistencyFor("product-1", { minVersion: 0, waitMs: 2000, positions: [] })).toBeUndefined();
    expect(consistencyFor("product-1", undefined)).toBeUndefined();
  });

  it("an explicit minVersion wins (a caller that knows the version it wants)", () => {
    expect(consistencyFor("product-1", { minVersion: 7, waitMs: 100, positions })).toEqual({ minVersion: 7, waitMs: 100 });
  });
});
