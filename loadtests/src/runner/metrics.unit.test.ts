import { describe, expect, it } from "vitest";
import { MetricRegistry } from "./metrics/registry.js";
import { parseMetricSelector } from "./metrics/tagFilter.js";

const TREND_STATS = ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"];

describe("metric sinks", () => {
  it("Trend: exact avg/min/max, percentiles from the HDR histogram within 0.1 %", () => {
    const registry = new MetricRegistry();
    const trend = registry.define("latency", "trend", "time");
    // 1..1000 ms, shuffled order must not matter.
    const values = Array.from({ length: 1000 }, (_, index) => ((index * 7919) % 1000) + 1);
    for (const value of values) registry.push(trend, value, {});
    const stats = trend.sink.values(1000, TREND_STATS);
    expect(stats.avg).toBeCloseTo(500.5, 6);
    expect(stats.min).toBe(1);
    expect(stats.max).toBe(1000);
    for (const [stat, exact] of [
      ["med", 500],
      ["p(90)", 900],
      ["p(95)", 950],
      ["p(99)", 990],
    ] as const) {
      expect(Math.abs((stats[stat] ?? 0) - exact) / exact).toBeLessThan(0.002);
    }
    expect(trend.sink.aggregate("p(99.9)", 1000)).toBeCloseTo(999, -1);
    // "count" is a trend stat in k6 too (summaryTrendStats, thresholds such as count>0).
    expect(trend.sink.values(1000, ["count"])).toEqual({ count: 1000 });
  });

  it("Trend keeps sub-millisecond resolution (recorded in microseconds)", () => {
    const registry = new MetricRegistry();
    const trend = registry.define("fast", "trend", "time");
    for (const value of [0.25, 0.5, 0.75, 1]) registry.push(trend, value, {});
    expect(trend.sink.aggregate("med", 1)).toBeCloseTo(0.5, 2);
    expect(trend.sink.aggregate("min", 1)).toBe(0.25);
  });

  it("Rate counts non-zero samples as passes", () => {
    const registry = new MetricRegistry();
    const rate = registry.define("ok", "rate");
    for (const value of [1, 0, 1, 1]) registry.push(rate, value, {});
    expect(rate.sink.values(1000, [])).toEqual({ rate: 0.75, passes: 3, fails: 1 });
  });

  it("Counter sums and divides by the test duration; Gauge keeps the last value, min and max", () => {
    const registry = new MetricRegistry();
    const counter = registry.define("bytes", "counter", "data");
    const gauge = registry.define("queue", "gauge");
    for (const value of [10, 20, 30]) registry.push(counter, value, {});
    for (const value of [5, 2, 9, 4]) registry.push(gauge, value, {});
    expect(counter.sink.values(2000, [])).toEqual({ count: 60, rate: 30 });
    expect(gauge.sink.values(2000, [])).toEqual({ value: 4, min: 2, max: 9 });
  });

  it("a sub-metric aggregates only samples whose tags match its filter", () => {
    const registry = new MetricRegistry();
    const duration = registry.define("http_req_duration", "trend", "time");
    const asyncOnly = registry.submetric(parseMetricSelector(`http_req_duration{mode:async, name:"GET /x"}`));
    registry.push(duration, 10, { mode: "async", name: "GET /x" });
    registry.push(duration, 20, { mode: "sync", name: "GET /x" });
    registry.push(duration, 30, { mode: "async", name: "GET /y" });
    expect(asyncOnly.selector.key).toBe("http_req_duration{mode:async,name:GET /x}");
    expect(asyncOnly.sink.sampleCount).toBe(1);
    expect(asyncOnly.sink.aggregate("max", 1)).toBe(10);
    expect(duration.sink.sampleCount).toBe(3);
  });

  it("refuses a name redefined with another type and invalid names", () => {
    const registry = new MetricRegistry();
    registry.define("orders", "counter");
    expect(registry.define("orders", "counter").type).toBe("counter");
    expect(() => registry.define("orders", "trend")).toThrow(/already defined as a counter/);
    expect(() => registry.define("1bad-name", "trend")).toThrow(/invalid metric name/);
  });
});
