import { describe, expect, it } from "vitest";
import { assertNever } from "./assertNever.js";

describe("assertNever", () => {
  it("throws naming the value that reached it (a variant no case handled)", () => {
    const unhandled = { type: "ProductRecalled" } as never;
    expect(() => assertNever(unhandled)).toThrow('unhandled case: {"type":"ProductRecalled"}');
  });
});
