import { describe, expect, it } from "vitest";
import { cachedReadiness } from "./cachedReadiness.js";
import type { Readiness } from "./readiness.js";

const counting = () => {
  let checks = 0;
  const inner: Readiness = {
    check: async () => {
      checks += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { ready: true, services: { "catalog-query": "SERVING" } };
    },
    close: () => {},
  };
  return { inner, checks: () => checks };
};

describe("cached readiness", () => {
  it("answers a flood of probes within a second from one downstream check", async () => {
    let clock = 0;
    const { inner, checks } = counting();
    const readiness = cachedReadiness(inner, 1000, () => clock);
    await Promise.all(Array.from({ length: 100 }, () => readiness.check()));
    for (let i = 0; i < 100; i++) await readiness.check();
    expect(checks()).toBe(1);
    clock += 999;
    await readiness.check();
    expect(checks()).toBe(1);
    clock += 2;
    await readiness.check();
    expect(checks()).toBe(2);
  });
});
