import { describe, expect, it } from "vitest";
import { approximateBytes, createBoundedCache } from "./boundedCache.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("approximateBytes", () => {
  it("counts strings by their UTF-16 length, numbers as 8, nested objects with their keys", () => {
    expect(approximateBytes("abcd")).toBe(8);
    expect(approximateBytes(42)).toBe(8);
    // 16 (object) + 2·4 ("name") + 2·3 ("Ada") + 2·3 ("age") + 8 (36)
    expect(approximateBytes({ name: "Ada", age: 36 })).toBe(16 + 8 + 6 + 6 + 8);
    expect(approximateBytes({ big: 10n, bytes: Buffer.alloc(100) })).toBe(16 + 6 + 8 + 10 + 100);
  });

  it("grows with the data and survives cycles", () => {
    const cyclic: Record<string, unknown> = { name: "x" };
    cyclic.self = cyclic;
    expect(approximateBytes(cyclic)).toBe(16 + 8 + 2 + 8);
    expect(approximateBytes({ text: "a".repeat(10_000) })).toBeGreaterThan(20_000);
  });
});

describe("createBoundedCache", () => {
  it("keeps its entries within the byte budget, dropping the least recently used first", () => {
    // Each entry: 64 overhead + key "k0".."k9" (4) + 1 000-character value (2 000) = 2 068 bytes.
    const cache = createBoundedCache<string, string>({ maxBytes: 10_000 });
    for (let i = 0; i < 4; i++) cache.set(`k${i}`, "v".repeat(1_000));
    expect(cache.get("k0")).toBeDefined(); // k0 is now the most recently used
    for (let i = 4; i < 10; i++) cache.set(`k${i}`, "v".repeat(1_000));
    expect(cache.calculatedSize).toBeLessThanOrEqual(10_000);
    expect(cache.size).toBe(4);
    expect([...cache.keys()].sort()).toEqual(["k6", "k7", "k8", "k9"]);
  });

  it("bounds a cache keyed by input however many keys arrive", () => {
    const cache = createBoundedCache<string, { id: string }>({ maxBytes: 50_000 });
    for (let i = 0; i < 20_000; i++) cache.set(`token-${i}`, { id: `customer-${i}` });
    expect(cache.calculatedSize).toBeLessThanOrEqual(50_000);
    expect(cache.size).toBeLessThan(1_000);
    expect(cache.get("token-19999")).toEqual({ id: "customer-19999" });
  });

  it("honours an entry cap beside the byte budget", () => {
    const cache = createBoundedCache<string, number>({ maxBytes: 1_000_000, maxEntries: 3 });
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i);
    expect([...cache.keys()].sort()).toEqual(["k2", "k3", "k4"]);
  });

  it("does not return an entry past its time to live", async () => {
    const cache = createBoundedCache<string, string>({ maxBytes: 10_000, ttlMs: 30 });
    cache.set("product", "details");
    expect(cache.get("product")).toBe("details");
    await wait(60);
    expect(cache.get("product")).toBeUndefined();
  });

  it("refuses a time to live of 0, which lru-cache would read as 'for ever'", () => {
    expect(() => createBoundedCache({ maxBytes: 1_000, ttlMs: 0 })).toThrow(RangeError);
  });
});
