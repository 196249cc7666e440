import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ContextStorage, installScriptGlobals, type ExecutionContext } from "./context.js";
import { ErrorLog } from "./errorLog.js";
import { scheduleExecAt, type ExecAt } from "./execAt.js";
import { ScenarioExecution } from "./executors/scenarioExecution.js";
import type { VuFunction } from "./executors/iterations.js";
import { ExitCode, RunnerError } from "./exitCodes.js";
import { GroupTree } from "./groupTree.js";
import { JsonOutput } from "./jsonOutput.js";
import { createExecutionModule } from "./k6Modules/execution.js";
import { createHttpModule } from "./k6Modules/http.js";
import { createK6Module } from "./k6Modules/k6.js";
import { createMetricsModule } from "./k6Modules/metrics.js";
import { loadScript } from "./loadScript.js";
import { defineBuiltinMetrics } from "./metrics/builtins.js";
import { MetricRegistry } from "./metrics/registry.js";
import { parseOptions, type TestOptions } from "./options.js";
import type { RunRuntime } from "./runtime.js";
import { roundTripJson, runLifecycleFunction } from "./scriptPhases.js";
import { buildSummaryData, type SummaryData } from "./summary.js";
import { writeHandleSummaryResult } from "./summaryOutput.js";
import { renderTextSummary } from "./textSummary.js";
import { compileThresholds, evaluateThresholds, type Threshold } from "./thresholds.js";

/** Everything one run needs; the CLI builds it from flags, tests build it directly. */
export interface RunConfig {
  readonly scriptPath: string;
  /** The script's __ENV (the process environment is not copied in). */
  readonly env: Readonly<Record<string, string>>;
  readonly jsonOutputPath?: string;
  readonly summaryExportPath?: string;
  readonly execAt?: readonly ExecAt[];
  readonly quiet?: boolean;
  /** Where handleSummary files go (default: process.cwd()). */
  readonly cwd?: string;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (line: string) => void;
  /** Progress lines while scenarios run (ms; default 5000). */
  readonly progressIntervalMs?: number;
  /** Lets the caller end the run early (SIGINT): scenarios stop, teardown and summary still run. */
  readonly externalAbort?: AbortSignal;
}

export interface RunResult {
  readonly exitCode: number;
  /** Undefined when the run ended before the scenarios (load error, setup failure). */
  readonly summary?: SummaryData;
}

let runInProgress = false;

const asFunction = (value: unknown): ((data?: unknown) => unknown) | undefined =>
  typeof value === "function" ? (value as (data?: unknown) => unknown) : undefined;

/** Load → setup → scenarios → teardown → thresholds → summary, with k6's exit codes. */
export const runTest = async (config: RunConfig): Promise<RunResult> => {
  if (runInProgress) throw new Error("one run at a time per process: __ENV/__VU/__ITER are process globals");
  runInProgress = true;
  try {
    return await runTestAlone(config);
  } finally {
    runInProgress = false;
  }
};

const runTestAlone = async (config: RunConfig): Promise<RunResult> => {
  const stdout = config.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = config.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const info = (line: string): void => {
    if (!config.quiet) stderr(line);
  };
  const env = { ...config.env };
  const contexts = new ContextStorage();
  const registry = new MetricRegistry();
  const stop = new AbortController();
  let abortExitCode: number | undefined;
  const runtime: RunRuntime = {
    contexts,
    registry,
    builtins: defineBuiltinMetrics(registry),
    groups: new GroupTree(),
    errors: new ErrorLog(stderr),
    runTags: {},
    scenariosStartedAt: undefined,
    abort(reason, exitCode) {
      if (stop.signal.aborted) return;
      stderr(`run aborted: ${reason}`);
      abortExitCode = exitCode;
      stop.abort(new Error(reason));
    },
  };
  config.externalAbort?.addEventListener("abort", () => runtime.abort("interrupted (signal)", ExitCode.externalAbort), { once: true });
  installScriptGlobals(contexts, env);

  const http = createHttpModule(runtime);
  let jsonOutput: JsonOutput | undefined;
  let release = (): void => undefined;
  try {
    // Init: evaluate the script once (k6 does it per VU; here the VUs share this one instance).
    const scriptPath = resolve(config.scriptPath);
    const initContext: ExecutionContext = { phase: "init", env, iteration: 0, iterationInScenario: 0, group: "", signal: new AbortController().signal };
    let script;
    try {
      script = await contexts.run(initContext, () =>
        loadScript(scriptPath, {
          k6: createK6Module(runtime),
          "k6/http": http.module,
          "k6/metrics": createMetricsModule(runtime),
          "k6/execution": createExecutionModule(runtime),
        }),
      );
    } catch (error) {
      throw new RunnerError(`cannot load ${scriptPath}: ${(error as Error).message}`, ExitCode.scriptException, { cause: error });
    }
    release = () => script.release();
    const options: TestOptions = parseOptions(script.exports.options, (line) => stderr(`WARN ${line}`));
    runtime.runTags = options.tags;
    const thresholds: Threshold[] = compileThresholds(options.thresholds, registry);
    for (const scenario of options.scenarios) {
      if (!asFunction(script.exports[scenario.exec])) {
        throw new RunnerError(`scenario "${scenario.name}": the script exports no function "${scenario.exec}" (exec)`, ExitCode.invalidConfig);
      }
    }

    if (config.jsonOutputPath) {
      await mkdir(dirname(resolve(config.jsonOutputPath)), { recursive: true });
      const output = new JsonOutput(config.jsonOutputPath, () => thresholds);
      jsonOutput = output;
      registry.onSample(output.onSample);
    }

    const testStartedAt = performance.now();
    let data: unknown;
    const setup = asFunction(script.exports.setup);
    if (setup) {
      info("setup() running");
      try {
        data = roundTripJson(await runLifecycleFunction({ contexts, phase: "setup", fn: setup, env, timeoutMs: options.setupTimeoutMs }));
      } catch (error) {
        if (error instanceof RunnerError) throw error;
        throw new RunnerError(`setup() failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, ExitCode.scriptException, {
          cause: error,
        });
      }
    }

    await runScenarios({ runtime, options, script: script.exports, data, env, config, stop: stop.signal, thresholds, info, log: stderr });

    let teardownFailed = false;
    const teardown = asFunction(script.exports.teardown);
    if (teardown) {
      try {
        await runLifecycleFunction({ contexts, phase: "teardown", fn: teardown, data, env, timeoutMs: options.teardownTimeoutMs });
      } catch (error) {
        teardownFailed = true;
        runtime.errors.report("teardown()", error);
      }
    }
    runtime.errors.flush();

    const testRunDurationMs = performance.now() - testStartedAt;
    const crossed = evaluateThresholds(thresholds, testRunDurationMs);
    for (const threshold of crossed) stderr(`threshold crossed: ${threshold.selectorKey}: ${threshold.expression}`);
    const summary = buildSummaryData({
      registry,
      rootGroup: runtime.groups.root,
      thresholds,
      summaryTrendStats: options.summaryTrendStats,
      testRunDurationMs,
      isStdOutTTY: Boolean(process.stdout.isTTY),
      isStdErrTTY: Boolean(process.stderr.isTTY),
    });
    await jsonOutput?.close();
    jsonOutput = undefined;
    await reportSummary(summary, script.exports.handleSummary, config, { stdout, stderr }, contexts, env);

    const exitCode = abortExitCode ?? (crossed.length > 0 ? ExitCode.thresholdsFailed : teardownFailed ? ExitCode.scriptException : ExitCode.ok);
    return { exitCode, summary };
  } catch (error) {
    if (error instanceof RunnerError) {
      stderr(`ERROR ${error.message}`);
      return { exitCode: error.exitCode };
    }
    throw error;
  } finally {
    await jsonOutput?.close();
    release();
    await http.close();
  }
};

const reportSummary = async (
  summary: SummaryData,
  handleSummary: unknown,
  config: RunConfig,
  streams: { stdout: (text: string) => void; stderr: (line: string) => void },
  contexts: ContextStorage,
  env: Record<string, string>,
): Promise<void> => {
  if (config.summaryExportPath) {
    const path = resolve(config.summaryExportPath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(summary, null, 2));
  }
  const handler = asFunction(handleSummary);
  if (handler) {
    try {
      const context: ExecutionContext = { phase: "teardown", env, iteration: 0, iterationInScenario: 0, group: "", signal: new AbortController().signal };
      const result = await contexts.run(context, async () => handler(structuredClone(summary)));
      await writeHandleSummaryResult(result, config.cwd ?? process.cwd(), { stdout: streams.stdout, stderr: (text) => streams.stderr(text) });
      return;
    } catch (error) {
      streams.stderr(`ERROR handleSummary() failed, printing the default summary instead: ${(error as Error).message}`);
    }
  }
  streams.stdout(renderTextSummary(summary));
};

const runScenarios = async (input: {
  runtime: RunRuntime;
  options: TestOptions;
  script: Record<string, unknown>;
  data: unknown;
  env: Record<string, string>;
  config: RunConfig;
  stop: AbortSignal;
  thresholds: readonly Threshold[];
  info: (line: string) => void;
  log: (line: string) => void;
}): Promise<void> => {
  const { runtime, options, script, data, env, config, stop, thresholds, info } = input;
  let lastVuId = 0;
  const nextVuId = (): number => ++lastVuId;
  const executions = options.scenarios.map(
    (scenario) => new ScenarioExecution(runtime, scenario, asFunction(script[scenario.exec]) as VuFunction, env, nextVuId),
  );

  const startedAt = performance.now();
  runtime.scenariosStartedAt = startedAt;
  // Fault injections are part of the measurement's record: logged even with --quiet.
  const execAt = scheduleExecAt(config.execAt ?? [], startedAt, input.log);
  const sampleVus = (): void => {
    const noTags = { ...runtime.runTags };
    runtime.registry.push(
      runtime.builtins.vus,
      executions.reduce((sum, execution) => sum + execution.busyVus, 0),
      noTags,
    );
    runtime.registry.push(
      runtime.builtins.vusMax,
      executions.reduce((sum, execution) => sum + execution.allocatedVus, 0),
      noTags,
    );
  };
  sampleVus();
  const everySecond = setInterval(() => {
    sampleVus();
    const elapsed = performance.now() - startedAt;
    const abortingThresholds = thresholds.filter((threshold) => threshold.abortOnFail && elapsed >= threshold.delayAbortEvalMs);
    const crossed = evaluateThresholds(abortingThresholds, elapsed);
    if (crossed[0]) runtime.abort(`threshold ${crossed[0].selectorKey}: ${crossed[0].expression} crossed (abortOnFail)`, ExitCode.thresholdsFailed);
  }, 1000);
  const progress = setInterval(() => {
    const elapsed = ((performance.now() - startedAt) / 1000).toFixed(0);
    const parts = executions
      .filter((execution) => execution.state.startedAt > 0)
      .map(
        ({ state, busyVus, allocatedVus }) =>
          `${state.name}: ${state.iterationsStarted} started, ${state.iterationsDropped} dropped, ${busyVus}/${allocatedVus} VUs busy`,
      );
    info(`running ${elapsed}s${parts.length > 0 ? ` — ${parts.join("; ")}` : ""}`);
  }, config.progressIntervalMs ?? 5000);
  try {
    await Promise.all(executions.map((execution) => execution.run(startedAt, data, stop, info)));
  } finally {
    clearInterval(everySecond);
    clearInterval(progress);
    sampleVus();
    await execAt.finish();
  }
  for (const { state } of executions) {
    info(
      `scenario ${state.name}: ${state.iterationsStarted} iterations started, ${state.iterationsCompleted} completed, ${state.iterationsInterrupted} interrupted, ${state.iterationsDropped} dropped`,
    );
  }
};
