import { describe, expect, it } from "vitest";
import { availability, availabilityPerSecond } from "./analysis/availability.js";
import { cpuMsInWindow, cpuPerOperation, cpuWindows, ticksAt } from "./analysis/cpu.js";
import { findKnee, measureSteps, type StepMeasurement } from "./analysis/knee.js";
import { summariseModes } from "./analysis/modeSummary.js";
import { modeResolver, parsePointLine } from "./analysis/points.js";
import { parseRefreshInterval } from "./analysis/refreshInterval.js";
import { cdf, percentile, percentiles } from "./analysis/stats.js";
import { cpuSamples, metricLine, ordersPoints, point, pointLine, request, T0 } from "./fixtures.test.js";

describe("JSON-lines points", () => {
  it("parses Point lines with their tags and skips Metric declarations", () => {
    expect(parsePointLine(metricLine("http_req_duration"))).toBeUndefined();
    expect(parsePointLine(pointLine("http_req_duration", 1_500, 12.5, { mode: "async", status: 202 }))).toEqual({
      metric: "http_req_duration",
      time: T0 + 1_500,
      value: 12.5,
      tags: { mode: "async", status: "202" },
    });
  });

  it("gives points without a mode tag the mode of their scenario", () => {
    const points = ordersPoints();
    const modeOf = modeResolver(points);
    expect(modeOf(points.find((p) => p.metric === "dropped_iterations")!)).toBe("sync");
  });
});

describe("percentiles", () => {
  it("interpolates between ranks like k6", () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([10, 20], 50)).toBe(15);
    expect(percentile([], 50)).toBeNaN();
    expect(percentiles([3, 1, 2])).toMatchObject({ count: 3, p50: 2, max: 3 });
  });

  it("builds a CDF ending at 1", () => {
    const points = cdf([5, 1, 3, 2, 4]);
    expect(points.at(-1)).toEqual({ value: 5, fraction: 1 });
    expect(points[0]).toEqual({ value: 1, fraction: 0.2 });
  });
});

describe("availability per second", () => {
  it("buckets requests by second since t0 and counts 2xx", () => {
    const points = [
      ...request(100, 5, { status: "200" }),
      ...request(900, 5, { status: "503" }),
      ...request(1_100, 5, { status: "0" }),
      ...request(1_200, 5, { status: "204" }),
      ...request(3_000, 5, { status: "200" }),
    ].filter((p) => p.metric === "http_reqs");
    expect(availabilityPerSecond(points, T0)).toEqual([
      { second: 0, total: 2, answered2xx: 1, percent: 50 },
      { second: 1, total: 2, answered2xx: 1, percent: 50 },
      { second: 3, total: 1, answered2xx: 1, percent: 100 },
    ]);
    expect(availability(points)).toBe(60);
  });
});

describe("mode summaries", () => {
  it("splits a run by mode: latency from the script's trend, staleness, throughput, drops, availability", () => {
    const modes = summariseModes(ordersPoints(), { latency: "order_ack_duration", staleness: "order_confirmed_duration" }, 500);
    const async = modes.find((m) => m.mode === "async")!;
    const sync = modes.find((m) => m.mode === "sync")!;
    expect(async.latencyMetric).toBe("order_ack_duration");
    expect(async.latency.p50).toBe(14.5);
    expect(sync.latency.p50).toBe(44.5);
    expect(async.staleness?.p99).toBeCloseTo(200 + 0.99 * 90);
    expect(sync.staleness).toBeUndefined();
    expect(async.iterations).toBe(10);
    expect(sync.dropped).toBe(2);
    expect(sync.availabilityPercent).toBe(90);
    // The async polls' 404s are probes, not answers to the operation.
    expect(async.availabilityPercent).toBe(100);
    expect(async.requests).toBe(20);
    expect(async.window).toEqual({ start: T0, end: T0 + 960 });
  });

  it("groups phases of a fault run", () => {
    const points = [
      ...request(0, 5, { mode: "hybrid", phase: "before", status: "200" }),
      ...request(1_000, 80, { mode: "hybrid", phase: "during", status: "200" }),
      ...request(1_100, 20, { mode: "hybrid", phase: "during", status: "503" }),
    ];
    const [hybrid] = summariseModes(points, { latency: "http_req_duration" }, 500);
    expect(hybrid!.phases.find((p) => p.phase === "during")).toMatchObject({ requests: 2, availabilityPercent: 50 });
  });
});

describe("CPU attribution", () => {
  const samples = cpuSamples(10);

  it("interpolates cumulative ticks between samples", () => {
    expect(ticksAt(samples, "gateway", T0 + 2_500)).toBe(25);
    expect(ticksAt(samples, "gateway", T0 - 5_000)).toBe(0);
    expect(ticksAt(samples, "gateway", T0 + 60_000)).toBe(100);
    expect(ticksAt(samples, "nobody", T0)).toBeNaN();
  });

  it("charges each process the CPU inside the window and divides by the operations", () => {
    // 2 s window: gateway 20 ticks = 200 ms, cassandra 100 ticks = 1000 ms, at 100 ticks/s.
    expect(cpuMsInWindow(samples, "cassandra", { start: T0 + 1_000, end: T0 + 3_000 }, 100)).toBe(1_000);
    const cpu = cpuPerOperation(samples, ["gateway", "cassandra"], { start: T0 + 1_000, end: T0 + 3_000 }, 40, 100);
    expect(cpu.perOperation).toEqual({ gateway: 5, cassandra: 25, total: 30 });
    expect(cpu.cores.total).toBeCloseTo(0.6);
  });

  it("keeps one window per mode run one after the other, and merges modes run side by side", () => {
    const sequential = cpuWindows([
      { mode: "async", window: { start: 0, end: 20_000 }, operations: 200 },
      { mode: "sync", window: { start: 19_500, end: 40_000 }, operations: 180 },
    ]);
    expect(sequential.map((w) => w.label)).toEqual(["async", "sync"]);
    const sideBySide = cpuWindows([
      { mode: "sync", window: { start: 1_000, end: 30_000 }, operations: 300 },
      { mode: "async", window: { start: 0, end: 45_000 }, operations: 290 },
    ]);
    expect(sideBySide).toEqual([{ label: "async+sync", modes: ["async", "sync"], window: { start: 0, end: 45_000 }, operations: 590 }]);
  });
});

describe("knee", () => {
  const step = (s: number, p99: number, errorRate = 0): StepMeasurement => ({
    step: s,
    p99,
    requests: 100,
    requestsPerSecond: s,
    iterationsPerSecond: s,
    errorRate,
  });

  it("is the highest step before the first one whose p99 reaches the threshold", () => {
    const knee = findKnee([step(40, 300), step(10, 50), step(20, 90), step(60, 900), step(80, 200)], 500);
    expect(knee.knee?.step).toBe(40);
    expect(knee.saturated).toBe(true);
  });

  it("stops at a fast step that fails 1 % or more of its requests", () => {
    expect(findKnee([step(10, 50), step(20, 60, 0.02), step(40, 70)], 500).knee?.step).toBe(10);
    expect(findKnee([step(10, 50), step(20, 60, Number.NaN)], 500).knee?.step).toBe(20);
  });

  it("is absent when the first step is already over, and a lower bound when none is", () => {
    expect(findKnee([step(10, 600), step(20, 100)], 500).knee).toBeUndefined();
    const unsaturated = findKnee([step(10, 50), step(20, 60)], 500);
    expect(unsaturated).toMatchObject({ knee: { step: 20 }, saturated: false });
  });

  it("measures p99 and throughput per step tag from points", () => {
    const durations = [
      ...Array.from({ length: 10 }, (_, i) => point("http_req_duration", i * 200, 10 + i, { step: "10" })),
      ...Array.from({ length: 20 }, (_, i) => point("http_req_duration", 3_000 + i * 100, 100 + i, { step: "20" })),
    ];
    const iterations = Array.from({ length: 10 }, (_, i) => point("iterations", i * 200, 1, { step: "10" }));
    const failed = Array.from({ length: 20 }, (_, i) => point("http_req_failed", 3_000 + i * 100, i < 5 ? 1 : 0, { step: "20" }));
    const steps = measureSteps(durations, iterations, failed);
    expect(steps.map((s) => s.step)).toEqual([10, 20]);
    expect(steps[0]!.requestsPerSecond).toBeCloseTo(10 / 1.8);
    expect(steps[1]!.p99).toBeCloseTo(118.81);
    expect(steps[1]!.iterationsPerSecond).toBeNaN();
    expect(steps[1]!.errorRate).toBe(0.25);
    expect(steps[0]!.errorRate).toBeNaN();
  });
});

describe("refresh interval", () => {
  it("reads the projection's refresh_interval", () => {
    expect(parseRefreshInterval('settings: { number_of_shards: 1, refresh_interval: "1s" }')).toBe(1_000);
    expect(parseRefreshInterval("refresh_interval: '250ms'")).toBe(250);
    expect(parseRefreshInterval('refresh_interval: "-1"')).toBeUndefined();
  });
});
