import * as vega from "vega";
import * as vegaLite from "vega-lite";
import type { TopLevelSpec } from "vega-lite";

/** Compiles a vega-lite spec to vega and renders it headless to SVG (no canvas, no browser). */
export const renderSvg = async (spec: TopLevelSpec): Promise<string> => {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};

const schema = "https://vega.github.io/schema/vega-lite/v6.json";

export interface LatencyRow {
  run: string;
  mode: string;
  percentile: "p50" | "p90" | "p99";
  ms: number;
}

/** Grouped bars: p50/p90/p99 per run and mode, log scale (sync sagas and local reads differ by orders of magnitude). */
export const latencyChart = (rows: readonly LatencyRow[]): TopLevelSpec => ({
  $schema: schema,
  title: "Latency percentiles per scenario and mode",
  data: { values: rows.filter((r) => Number.isFinite(r.ms) && r.ms > 0).map((r) => ({ ...r, label: `${r.run} · ${r.mode}` })) },
  mark: "bar",
  width: { step: 12 },
  height: 260,
  encoding: {
    x: { field: "label", type: "nominal", title: null, axis: { labelAngle: -40 } },
    xOffset: { field: "percentile", sort: ["p50", "p90", "p99"] },
    y: { field: "ms", type: "quantitative", scale: { type: "log" }, title: "latency (ms, log)" },
    color: { field: "percentile", type: "nominal", sort: ["p50", "p90", "p99"] },
    tooltip: [{ field: "label" }, { field: "percentile" }, { field: "ms", format: ".1f" }],
  },
});

export interface StepRow {
  mode: string;
  step: number;
  p99: number;
  requestsPerSecond: number;
}

/** Throughput and p99 against the arrival-rate step, per mode; each mode's knee as a dashed rule, the p99 threshold as a red rule. */
export const storefrontChart = (steps: readonly StepRow[], knees: readonly { mode: string; step: number }[], thresholdMs: number): TopLevelSpec => {
  const data = steps.filter((s) => Number.isFinite(s.p99));
  const kneeRules = {
    data: { values: [...knees] },
    mark: { type: "rule" as const, strokeDash: [6, 4] },
    encoding: { x: { field: "step", type: "quantitative" as const }, color: { field: "mode", type: "nominal" as const } },
  };
  const thresholdRule = {
    data: { values: [{ y: thresholdMs }] },
    mark: { type: "rule" as const, color: "red" },
    encoding: { y: { field: "y", type: "quantitative" as const } },
  };
  /** One panel: a line per mode of `field` against the step, over `rules` (the knees, the threshold). */
  const panel = (field: keyof StepRow, title: string, ...rules: (typeof kneeRules | typeof thresholdRule)[]) => ({
    width: 420,
    height: 180,
    layer: [
      {
        data: { values: data },
        mark: { type: "line" as const, point: true },
        encoding: {
          x: { field: "step", type: "quantitative" as const, title: "arrival rate (iterations/s)" },
          y: { field, type: "quantitative" as const, title },
          color: { field: "mode", type: "nominal" as const },
        },
      },
      ...rules,
    ],
  });
  return {
    $schema: schema,
    title: "Storefront: throughput and p99 vs arrival rate (dashed: knee)",
    vconcat: [panel("requestsPerSecond", "achieved requests/s", kneeRules), panel("p99", "p99 (ms)", thresholdRule, kneeRules)],
  };
};

export interface CdfRow {
  mode: string;
  fanout: string;
  value: number;
  fraction: number;
}

/** Staleness CDF per mode, one panel per fan-out. */
export const stalenessChart = (rows: readonly CdfRow[]): TopLevelSpec => ({
  $schema: schema,
  title: "Rename: staleness window CDF (time until the order view and history show the new name)",
  data: { values: [...rows] },
  facet: { column: { field: "fanout", type: "ordinal", title: "orders per product (fan-out)" } },
  spec: {
    width: 220,
    height: 200,
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: { field: "value", type: "quantitative", title: "staleness (ms)" },
      y: { field: "fraction", type: "quantitative", title: "fraction ≤ x", scale: { domain: [0, 1] } },
      color: { field: "mode", type: "nominal" },
    },
  },
});

export interface AvailabilityRow {
  mode: string;
  second: number;
  percent: number;
}

/** % of requests answered 2xx per second, per mode, with the fault window(s) shaded. */
export const availabilityChart = (
  title: string,
  rows: readonly AvailabilityRow[],
  faults: readonly { from: number; to: number; label: string }[],
): TopLevelSpec => ({
  $schema: schema,
  title,
  width: 480,
  height: 220,
  layer: [
    {
      data: { values: [...faults] },
      mark: { type: "rect", opacity: 0.15, color: "red" },
      encoding: { x: { field: "from", type: "quantitative" }, x2: { field: "to" }, tooltip: [{ field: "label" }] },
    },
    {
      data: { values: [...rows] },
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "second", type: "quantitative", title: "seconds since the scenarios' start" },
        y: { field: "percent", type: "quantitative", title: "% answered 2xx", scale: { domain: [0, 100] } },
        color: { field: "mode", type: "nominal" },
      },
    },
  ],
});
