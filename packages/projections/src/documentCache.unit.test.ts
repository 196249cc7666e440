import { describe, expect, it } from "vitest";
import { DocumentCache } from "./documentWriter.js";

describe("DocumentCache", () => {
  it("keeps the most recently used documents up to its capacity", () => {
    const cache = new DocumentCache<{ n: number }>(2);
    cache.set("a", { doc: { n: 1 }, version: 1 });
    cache.set("b", { doc: { n: 2 }, version: 1 });
    expect(cache.get("a")?.version).toBe(1); // a is now more recent than b
    cache.set("c", { doc: { n: 3 }, version: 1 });
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.doc).toEqual({ n: 1 });
    expect(cache.get("c")?.doc).toEqual({ n: 3 });
  });

  it("holds fewer documents when they are large: the byte budget binds before the count", () => {
    const cache = new DocumentCache<{ text: string }>(1_000, 100_000);
    for (let i = 0; i < 100; i++) cache.set(`doc-${i}`, { doc: { text: "x".repeat(10_000) }, version: i });
    const kept = Array.from({ length: 100 }, (_, i) => cache.get(`doc-${i}`)).filter(Boolean);
    // ~20 KB each in a 100 KB budget: four fit, the newest ones.
    expect(kept.length).toBe(4);
    expect(cache.get("doc-99")?.version).toBe(99);
  });

  it("forgets a document on delete", () => {
    const cache = new DocumentCache<{ n: number }>(10);
    cache.set("a", { doc: { n: 1 }, version: 3 });
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
  });
});
