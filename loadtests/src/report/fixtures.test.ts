/** Fixture data for the report's unit tests: k6 JSON lines and report data written by hand. */
import type { CpuSample } from "@bazaar/testing";
import type { Point } from "./analysis/points.js";
import type { ReportData, RunResult } from "./analysis/reportData.js";
import { METRICS_OF, summariseModes } from "./analysis/modeSummary.js";
import { cpuPerOperation } from "./analysis/cpu.js";

export const T0 = Date.parse("2026-11-30T08:00:00.000Z");

/** One k6 `--out json` Point line. */
export const pointLine = (metric: string, atMs: number, value: number, tags: Record<string, string | number>): string =>
  JSON.stringify({ type: "Point", metric, data: { time: new Date(T0 + atMs).toISOString(), value, tags } });

export const metricLine = (metric: string) =>
  JSON.stringify({ type: "Metric", metric, data: { name: metric, type: "trend", contains: "time", thresholds: [], submetrics: null } });

export const point = (metric: string, atMs: number, value: number, tags: Record<string, string>): Point => ({ metric, time: T0 + atMs, value, tags });

/** A request: http_reqs + http_req_duration with the same tags. */
export const request = (atMs: number, durationMs: number, tags: Record<string, string>): Point[] => [
  point("http_reqs", atMs, 1, tags),
  point("http_req_duration", atMs, durationMs, tags),
];

/** An orders run: async acks 10..19 ms (each polled once, 404), sync acks 40..49 ms, 10 iterations each, one 503 in sync. */
export const ordersPoints = (): Point[] => {
  const points: Point[] = [];
  for (let i = 0; i < 10; i++) {
    const asyncTags = { scenario: "async_orders", mode: "async", status: "202" };
    points.push(...request(i * 100 + 20, 3, { ...asyncTags, op: "poll", status: "404" }));
    points.push(
      ...request(i * 100, 10 + i, asyncTags),
      point("order_ack_duration", i * 100, 10 + i, asyncTags),
      point("order_confirmed_duration", i * 100 + 50, 200 + 10 * i, asyncTags),
      point("iterations", i * 100 + 60, 1, asyncTags),
    );
    const syncTags = { scenario: "sync_orders", mode: "sync", status: i === 9 ? "503" : "201" };
    points.push(
      ...request(2_000 + i * 100, 40 + i, syncTags),
      point("order_ack_duration", 2_000 + i * 100, 40 + i, syncTags),
      point("iterations", 2_000 + i * 100 + 60, 1, syncTags),
    );
  }
  // k6's built-in dropped_iterations carries the scenario, not necessarily the mode.
  points.push(point("dropped_iterations", 2_500, 2, { scenario: "sync_orders" }));
  return points;
};

/** An async rename run: order view visible after 500..1400 ms, order view and history after 1500..2400 ms. */
export const renamePoints = (): Point[] =>
  Array.from({ length: 10 }, (_, i) => {
    const tags = { scenario: "async", mode: "async", fanout: "1", status: "200" };
    return [
      ...request(i * 1_000, 30, tags),
      point("rename_ack_duration", i * 1_000, 30, tags),
      point("rename_staleness_order_view", i * 1_000 + 40, 500 + 100 * i, tags),
      point("rename_staleness", i * 1_000 + 40, 1_500 + 100 * i, tags),
      point("iterations", i * 1_000 + 50, 1, tags),
    ];
  }).flat();

/** CPU samples where "gateway" burns 10 ticks/s and "cassandra" 50 ticks/s, one sample per second. */
export const cpuSamples = (seconds: number): CpuSample[] =>
  Array.from({ length: seconds + 1 }, (_, s) => ({ t: T0 + s * 1_000, ticks: { gateway: 10 * s, cassandra: 50 * s } }));

const run = (id: string, scenario: string, points: Point[], extra: Partial<RunResult> = {}): RunResult => {
  const modes = summariseModes(points, METRICS_OF[scenario] ?? { latency: "http_req_duration" }, 500);
  const samples = cpuSamples(10);
  return {
    spec: { id, scenario, title: id, flags: [], env: {} },
    command: `node loadtests/dist/main.js ${scenario}`,
    exitCode: 0,
    startedAt: T0 - 1_000,
    endedAt: T0 + 10_000,
    t0: T0,
    modes,
    cpu: Object.fromEntries(modes.map((m) => [m.mode, cpuPerOperation(samples, ["gateway", "cassandra"], m.window, m.iterations, 100)])),
    operationBasis: "iterations",
    faultEvents: [],
    thresholds: [{ metric: "http_req_failed", expression: "rate<0.01", ok: true }],
    ...extra,
  };
};

export const reportData = (runs: RunResult[] = [run("orders", "orders", ordersPoints())]): ReportData => ({
  command: "npm run loadtest -- report",
  date: new Date(T0).toISOString(),
  commit: "abc123",
  machine: { cores: 2, memoryGiB: 23.5, cpuModel: "Test CPU", kernel: "Linux 6.0" },
  nodeVersion: "v24.0.0",
  namespace: "ltfixture",
  quick: false,
  clockTicksPerSecond: 100,
  refreshIntervalMs: 1_000,
  refreshIntervalSource: "fixture",
  kneeP99Ms: 500,
  cpuTargets: ["gateway", "cassandra"],
  runs,
  notes: [],
});

export { run as fixtureRun };
