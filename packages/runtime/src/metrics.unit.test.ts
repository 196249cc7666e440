import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { metricsOn, observeAges } from "./metrics.js";

describe("metrics on a component's registry", () => {
  it("registers each metric on the registry given, with its labels and buckets", async () => {
    const registry = new Registry();
    const metrics = metricsOn(registry);
    metrics.counter("test_things_total", "Things", ["kind"]).inc({ kind: "a" }, 2);
    metrics.gauge("test_backlog", "Backlog", ["queue"]).set({ queue: "q" }, 7);
    metrics.histogram("test_lag_seconds", "Lag", ["path"], [1, 10]).observe({ path: "p" }, 5);
    const text = await registry.metrics();
    expect(text).toContain('test_things_total{kind="a"} 2');
    expect(text).toContain('test_backlog{queue="q"} 7');
    expect(text).toContain('test_lag_seconds_bucket{le="1",path="p"} 0');
    expect(text).toContain('test_lag_seconds_bucket{le="10",path="p"} 1');
    expect(() => metricsOn(registry).counter("test_things_total", "Again", [])).toThrow(/already been registered/);
    expect(metricsOn(new Registry()).counter("test_things_total", "Elsewhere", [])).toBeDefined();
  });

  it("observes how long ago each instant was, in seconds", async () => {
    const registry = new Registry();
    const lag = metricsOn(registry).histogram("test_age_seconds", "Age", ["path"], [1, 60, 3600]);
    const now = Date.now();
    observeAges(lag, { path: "p" }, [new Date(now - 30_000), new Date(now - 120_000)]);
    const [metric] = (await registry.getMetricsAsJSON()) as { values: { metricName?: string; value: number; labels: Record<string, unknown> }[] }[];
    const bucket = (le: number) => metric?.values.find((v) => v.metricName === "test_age_seconds_bucket" && v.labels.le === le)?.value;
    expect([bucket(1), bucket(60), bucket(3600)]).toEqual([0, 1, 2]);
    expect(metric?.values.find((v) => v.metricName === "test_age_seconds_sum")?.value).toBeGreaterThanOrEqual(150);
  });
});
