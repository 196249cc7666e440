import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { CpuSample, ProcessEvent } from "@bazaar/testing";
import { cpuPerOperation, cpuWindows } from "./analysis/cpu.js";
import { METRICS_OF, scenariosStart, SCRIPT_COUNTERS, summariseModes } from "./analysis/modeSummary.js";
import type { RunResult } from "./analysis/reportData.js";
import { readPoints } from "./readPoints.js";
import type { RunOutcome } from "./runScenario.js";

const KEPT_METRICS = new Set([
  "http_reqs",
  "http_req_duration",
  "http_req_failed",
  "degraded",
  "iterations",
  "dropped_iterations",
  ...SCRIPT_COUNTERS,
  ...Object.values(METRICS_OF).flatMap((c) => [c.latency, c.staleness ?? "", ...(c.trends ?? [])]),
]);

/** The thresholds of a `--summary-export` file: metric, expression, ok. */
export const thresholdsOf = (summary: unknown): RunResult["thresholds"] => {
  const metrics = (summary as { metrics?: Record<string, { thresholds?: Record<string, { ok?: boolean }> }> } | undefined)?.metrics ?? {};
  return Object.entries(metrics).flatMap(([metric, m]) =>
    Object.entries(m.thresholds ?? {}).map(([expression, t]) => ({ metric, expression, ok: t.ok !== false })),
  );
};

/** Reads one run's outputs and reduces them: per-mode summaries, CPU per operation per mode, fault events, thresholds. */
export const analyseRun = async (
  outcome: RunOutcome,
  context: { samples: readonly CpuSample[]; cpuTargets: readonly string[]; clockTicksPerSecond: number; kneeP99Ms: number; events: readonly ProcessEvent[] },
): Promise<RunResult> => {
  const workDir = dirname(outcome.files.jsonl);
  const shown = (arg: string) => (arg.startsWith("TOKEN=") ? "TOKEN=…" : arg.replaceAll(workDir, "<tmp>"));
  const command = `node loadtests/dist/main.js ${outcome.args.map((a) => (/\s/.test(a) ? `"${shown(a)}"` : shown(a))).join(" ")}`;
  const base = {
    spec: outcome.spec,
    command,
    exitCode: outcome.exitCode,
    startedAt: outcome.startedAt,
    endedAt: outcome.endedAt,
    faultEvents: context.events.filter((e) => e.requestedAt >= outcome.startedAt && e.requestedAt <= outcome.endedAt),
    thresholds: existsSync(outcome.files.summary) ? thresholdsOf(JSON.parse(await readFile(outcome.files.summary, "utf8"))) : [],
  };
  /** A run with nothing to measure: no modes, no CPU, and why. */
  const unmeasured = (problem: string): RunResult => ({ ...base, t0: outcome.startedAt, modes: [], cpu: {}, operationBasis: "iterations", problem });
  const points = existsSync(outcome.files.jsonl) ? await readPoints(outcome.files.jsonl, KEPT_METRICS) : [];
  if (points.length === 0) return unmeasured(`no samples in ${outcome.files.jsonl} (exit ${outcome.exitCode}; see ${outcome.files.log})`);
  const modes = summariseModes(points, METRICS_OF[outcome.spec.scenario] ?? { latency: "http_req_duration" }, context.kneeP99Ms);
  if (modes.length === 0)
    return unmeasured(`no sample tagged with a mode: the scenarios never ran (exit ${outcome.exitCode}; setup failed? see ${outcome.files.log})`);
  const operationBasis = modes.every((m) => m.iterations > 0) ? "iterations" : "http_reqs";
  const windows = cpuWindows(modes.map((m) => ({ mode: m.mode, window: m.window, operations: operationBasis === "iterations" ? m.iterations : m.requests })));
  const cpu = Object.fromEntries(
    windows.map((w) => [w.label, cpuPerOperation(context.samples, context.cpuTargets, w.window, w.operations, context.clockTicksPerSecond)]),
  );
  return { ...base, t0: scenariosStart(points), modes, cpu, operationBasis };
};
