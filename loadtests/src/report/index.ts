import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import {
  CONTEXTS,
  type CpuTarget,
  currentStorePid,
  DATA_STORES,
  dropPlatformNamespace,
  ensureDataStores,
  type Platform,
  PlatformStartError,
  processTree,
  repoRoot,
  startCpuSampler,
  startPlatform,
} from "@bazaar/testing";
import type { ReportData, RunResult } from "./analysis/reportData.js";
import { analyseRun } from "./analyseRun.js";
import { parseReportArgs } from "./args.js";
import { renderSvg } from "./charts.js";
import { startFaultControl } from "./faultControl.js";
import { clockTicksPerSecond, gitCommit, orderingRefreshInterval, readMachine } from "./machine.js";
import { renderReport } from "./markdown.js";
import { ordersRun, planRuns } from "./plan.js";
import { reportCharts } from "./reportCharts.js";
import { runFiles, runnerArgs, runScenario } from "./runScenario.js";

const log = (line: string) => console.log(`[report] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `npm run loadtest -- report [--only …] [--quick] [--out docs/loadtests]`: starts a dedicated
 * platform, runs the scenarios one after another while sampling CPU, injects the faults, and
 * writes REPORT.md, its charts and the data behind them.
 */
export const runReport = async (args: string[]): Promise<void> => {
  const options = parseReportArgs(args);
  const outDir = resolve(repoRoot, options.out);
  const workDir = await mkdtemp(`${tmpdir()}/bazaar-loadtest-report-`);
  log(`run outputs and logs in ${workDir}`);
  const [machine, clockTicks, commit, refresh] = await Promise.all([readMachine(), clockTicksPerSecond(), gitCommit(), orderingRefreshInterval()]);
  const notes: string[] = [];

  let storePids = await ensureDataStores(log);
  let platform: Platform | undefined;
  // Namespaces of failed starts that could not be dropped then (a store was down).
  const undropped: string[] = [];
  const dropLeftovers = async () => {
    for (const namespace of undropped)
      await dropPlatformNamespace(namespace).then(
        () => log(`dropped namespace ${namespace} of a failed start`),
        (error: unknown) => notes.push(`namespace ${namespace} of a failed start could not be dropped: ${String(error).split("\n")[0]}`),
      );
  };
  // The stores are shared with other people's fault drills: a store going down while the
  // contexts boot fails the start; wait until they are healthy again and retry.
  for (let attempt = 1; !platform; attempt++) {
    try {
      platform = await startPlatform(log);
    } catch (error) {
      if (error instanceof PlatformStartError && !error.dropped) undropped.push(error.namespace);
      if (attempt >= 3) {
        await dropLeftovers();
        throw error;
      }
      log(`platform start failed (${String(error).split("\n").slice(0, 2).join(" ")}); retrying`);
      storePids = await ensureDataStores(log);
    }
  }
  const control = await startFaultControl(platform, log);
  let loadgenPid: number | undefined;
  const targets: CpuTarget[] = [
    ...CONTEXTS.map((name) => ({ name, pids: () => [platform.pid(name)].filter((p): p is number => p !== undefined) })),
    { name: "gateway", pids: () => [platform.pid("gateway")].filter((p): p is number => p !== undefined) },
    { name: "loadgen", pids: (stats) => (loadgenPid !== undefined ? processTree(loadgenPid, stats) : []) },
    ...DATA_STORES.map((name) => ({ name, pids: (stats: Parameters<CpuTarget["pids"]>[0]) => processTree(currentStorePid(name, storePids[name]), stats) })),
  ];
  const sampler = startCpuSampler(targets);
  const runs: RunResult[] = [];
  // Ctrl-C or a kill: end the current run, then still stop the platform and drop the namespace.
  let interrupted: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    log(`${signal}: ending the current run, then stopping the platform`);
    try {
      if (loadgenPid !== undefined) process.kill(loadgenPid, "SIGTERM");
    } catch {
      // It ended on its own meanwhile.
    }
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const token = await platform.mintToken();
    const plan = planRuns(options);
    for (let i = 0; i < plan.length && !interrupted; i++) {
      let spec = plan[i]!;
      if (spec.scenario === "orders") {
        const storefront = runs.find((r) => r.spec.id === "storefront");
        const asyncKnee = storefront?.modes.find((m) => m.mode === "async")?.knee?.knee?.step;
        spec = ordersRun(options, asyncKnee);
        if (asyncKnee === undefined) notes.push(`orders ran at ${spec.rateNote}.`);
      }
      const files = runFiles(workDir, spec.id);
      const runArgs = runnerArgs(spec, platform.base, token, files, control.url);
      log(`run ${i + 1}/${plan.length}: ${spec.id} (${spec.title}); log ${files.log}`);
      const outcome = await runScenario(spec, runArgs, files, (pid) => (loadgenPid = pid));
      // One more CPU sample after the run, so each mode's window is bracketed by samples.
      await sleep(1_200);
      const result = await analyseRun(outcome, {
        samples: sampler.samples,
        cpuTargets: targets.map((t) => t.name),
        clockTicksPerSecond: clockTicks,
        kneeP99Ms: options.kneeP99Ms,
        events: platform.events,
      });
      runs.push(result);
      log(
        `${spec.id}: exit ${outcome.exitCode}, ${result.problem ?? result.modes.map((m) => `${m.mode} p50 ${m.latency.p50.toFixed(1)} ms p99 ${m.latency.p99.toFixed(1)} ms`).join("; ")}`,
      );
      if (result.problem) notes.push(`${spec.id}: ${result.problem}`);
      // A fault run leaves its context restarted; make sure it is up before the next run.
      for (const name of CONTEXTS)
        if (platform.pid(name) === undefined) {
          notes.push(`${name} was still down after ${spec.id}; the report restarted it.`);
          await platform.start(name);
        }
    }
  } finally {
    await sampler.stop();
    await control.close();
    log(`stopping the platform and dropping namespace ${platform.namespace}`);
    await platform.stopAndDrop().catch((error: unknown) => notes.push(`cleanup of ${platform.namespace} failed: ${String(error).split("\n")[0]}`));
    await dropLeftovers();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (interrupted) {
    log(`interrupted by ${interrupted}: no report written (run outputs stay in ${workDir})`);
    process.exitCode = 130;
    return;
  }

  const data: ReportData = {
    command: `npm run loadtest -- report ${args.join(" ")}`.trim(),
    date: new Date().toISOString(),
    commit,
    machine,
    nodeVersion: process.version,
    namespace: platform.namespace,
    quick: options.quick,
    clockTicksPerSecond: clockTicks,
    refreshIntervalMs: refresh.ms,
    refreshIntervalSource: refresh.source,
    kneeP99Ms: options.kneeP99Ms,
    cpuTargets: targets.map((t) => t.name),
    runs,
    notes,
  };
  await mkdir(outDir, { recursive: true });
  const charts = reportCharts(data);
  for (const [file, spec] of Object.entries(charts)) await writeFile(`${outDir}/${file}`, await renderSvg(spec));
  await writeFile(`${outDir}/report-data.json`, `${JSON.stringify(data, null, 1)}\n`);
  await writeFile(`${outDir}/REPORT.md`, renderReport(data, Object.keys(charts)));
  log(`wrote ${outDir}/REPORT.md, ${Object.keys(charts).length} chart(s) and report-data.json`);
};
