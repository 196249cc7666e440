import { describe, expect, it } from "vitest";
import { hashString } from "./hash.js";

describe("hashString", () => {
  it("keeps the values rows were placed by (the saga log's shards): a change would strand stored entries", () => {
    expect(hashString("")).toBe(7);
    expect(hashString("a")).toBe(7 * 31 + 97);
    expect(hashString("3f2504e0-4f89-41d3-9a0c-0305e82c3301")).toBe(208_567_287);
    expect(hashString("product-3f2504e0-4f89-41d3-9a0c-0305e82c3301")).toBe(1_497_308_949);
  });

  it("stays a 32-bit unsigned integer however long the text", () => {
    const hash = hashString("x".repeat(10_000));
    expect(Number.isInteger(hash)).toBe(true);
    expect(hash).toBeGreaterThanOrEqual(0);
    expect(hash).toBeLessThan(2 ** 32);
  });

  it("spreads stream ids over a few shards", () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8_000; i++) counts[hashString(`product-${i.toString(16).padStart(8, "0")}-4f89-41d3-9a0c-0305e82c3301`) % 8]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(600);
  });
});
