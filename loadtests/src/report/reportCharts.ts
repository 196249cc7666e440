import type { TopLevelSpec } from "vega-lite";
import type { ReportData, RunResult } from "./analysis/reportData.js";
import { runById } from "./analysis/targets.js";
import { availabilityChart, latencyChart, stalenessChart, storefrontChart, type LatencyRow } from "./charts.js";
import { CHARTS } from "./markdown.js";

/** The fault window of a run in seconds since its first sample: from the stop request until the restarted process was ready. */
const faultWindows = (run: RunResult) => {
  const stop = run.faultEvents.find((e) => e.action === "stop");
  const start = run.faultEvents.find((e) => e.action === "start");
  if (!stop) return [];
  const to = start ? start.doneAt : run.endedAt;
  return [{ from: (stop.requestedAt - run.t0) / 1_000, to: (to - run.t0) / 1_000, label: `${stop.context} down` }];
};

/** Every chart the data supports, by file name; a chart without data is left out. */
export const reportCharts = (data: ReportData): Record<string, TopLevelSpec> => {
  const charts: Record<string, TopLevelSpec> = {};
  const latency: LatencyRow[] = data.runs.flatMap((run) =>
    run.modes.flatMap((m) => (["p50", "p90", "p99"] as const).map((percentile) => ({ run: run.spec.id, mode: m.mode, percentile, ms: m.latency[percentile] }))),
  );
  if (latency.some((r) => Number.isFinite(r.ms))) charts[CHARTS.latency] = latencyChart(latency);

  const storefront = runById(data, "storefront");
  const steps =
    storefront?.modes.flatMap((m) => (m.steps ?? []).map((s) => ({ mode: m.mode, step: s.step, p99: s.p99, requestsPerSecond: s.requestsPerSecond }))) ?? [];
  if (steps.length > 0) {
    const knees = storefront!.modes.flatMap((m) => (m.knee?.knee ? [{ mode: m.mode, step: m.knee.knee.step }] : []));
    charts[CHARTS.storefront] = storefrontChart(steps, knees, data.kneeP99Ms);
  }

  const cdfRows = data.runs
    .filter((run) => run.spec.scenario === "rename")
    .flatMap((run) => run.modes.flatMap((m) => (m.stalenessCdf ?? []).map((p) => ({ mode: m.mode, fanout: run.spec.env.FANOUT ?? "?", ...p }))));
  if (cdfRows.length > 0) charts[CHARTS.staleness] = stalenessChart(cdfRows);

  for (const [id, file, title] of [
    ["orderDetails", CHARTS.orderDetails, "Order details: % answered 2xx per second, catalog stopped (shaded)"],
    ["faults", CHARTS.faults, "Orders: % answered 2xx per second, inventory stopped (shaded)"],
  ] as const) {
    const run = runById(data, id);
    const rows = run?.modes.flatMap((m) => m.availabilitySeries.map((s) => ({ mode: m.mode, second: s.second, percent: s.percent }))) ?? [];
    if (run && rows.length > 0) charts[file] = availabilityChart(title, rows, faultWindows(run));
  }
  return charts;
};
