import { parseDuration } from "./duration.js";
import { ExitCode, RunnerError } from "./exitCodes.js";

interface ScenarioCommon {
  readonly name: string;
  /** Name of the exported function each iteration calls. */
  readonly exec: string;
  readonly startTimeMs: number;
  readonly gracefulStopMs: number;
  readonly env: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ConstantArrivalRateScenario extends ScenarioCommon {
  readonly executor: "constant-arrival-rate";
  readonly rate: number;
  readonly timeUnitMs: number;
  readonly durationMs: number;
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
}

export interface RampingStage {
  readonly target: number;
  readonly durationMs: number;
}

export interface RampingArrivalRateScenario extends ScenarioCommon {
  readonly executor: "ramping-arrival-rate";
  readonly startRate: number;
  readonly timeUnitMs: number;
  readonly stages: readonly RampingStage[];
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
}

export interface ConstantVusScenario extends ScenarioCommon {
  readonly executor: "constant-vus";
  readonly vus: number;
  readonly durationMs: number;
}

export type ScenarioConfig = ConstantArrivalRateScenario | RampingArrivalRateScenario | ConstantVusScenario;
export type ExecutorType = ScenarioConfig["executor"];

export interface ThresholdDefinition {
  readonly expression: string;
  readonly abortOnFail: boolean;
  readonly delayAbortEvalMs: number;
}

/** The script's `options`, validated and with k6's defaults applied. */
export interface TestOptions {
  readonly scenarios: readonly ScenarioConfig[];
  /** metric selector (`metric` or `metric{tag:value}`) → its threshold expressions. */
  readonly thresholds: ReadonlyMap<string, readonly ThresholdDefinition[]>;
  readonly summaryTrendStats: readonly string[];
  readonly setupTimeoutMs: number;
  readonly teardownTimeoutMs: number;
  readonly tags: Readonly<Record<string, string>>;
}

const COMMON_KEYS = ["executor", "startTime", "gracefulStop", "exec", "env", "tags"];
const EXECUTOR_KEYS: Record<ExecutorType, string[]> = {
  "constant-arrival-rate": ["rate", "timeUnit", "duration", "preAllocatedVUs", "maxVUs"],
  "ramping-arrival-rate": ["startRate", "timeUnit", "stages", "preAllocatedVUs", "maxVUs"],
  "constant-vus": ["vus", "duration"],
};
const EXECUTORS = Object.keys(EXECUTOR_KEYS) as ExecutorType[];
const isExecutor = (value: unknown): value is ExecutorType => EXECUTORS.includes(value as ExecutorType);

/** Top-level option keys this runner reads or knowingly ignores (others are warned about). */
const KNOWN_OPTION_KEYS = new Set([
  "scenarios",
  "thresholds",
  "summaryTrendStats",
  "summaryTimeUnit",
  "setupTimeout",
  "teardownTimeout",
  "tags",
  "vus",
  "duration",
  "noConnectionReuse",
  "discardResponseBodies",
  "insecureSkipTLSVerify",
  "userAgent",
]);
const DEFAULT_TREND_STATS = ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"];

const invalid = (message: string): RunnerError => new RunnerError(`invalid options: ${message}`, ExitCode.invalidConfig);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const stringMap = (value: unknown, what: string): Record<string, string> => {
  if (value === undefined) return {};
  if (!isRecord(value)) throw invalid(`${what} must be an object of strings`);
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)]));
};

const duration = (value: unknown, what: string, fallback?: number): number => {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined) throw invalid(`${what} is required`);
  try {
    return parseDuration(value, what);
  } catch (error) {
    throw invalid((error as Error).message);
  }
};

const count = (value: unknown, what: string, options: { fallback?: number; positive?: boolean } = {}): number => {
  if (value === undefined && options.fallback !== undefined) return options.fallback;
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < (options.positive ? 1 : 0)) {
    throw invalid(`${what} must be a ${options.positive ? "positive" : "non-negative"} integer, got ${JSON.stringify(value)}`);
  }
  return number;
};

const execName = (value: unknown, scenario: string): string => {
  if (typeof value !== "string" || value === "") throw invalid(`scenario "${scenario}".exec must be the name of an exported function`);
  return value;
};

const parseScenario = (name: string, raw: unknown): ScenarioConfig => {
  if (!isRecord(raw)) throw invalid(`scenario "${name}" must be an object`);
  const executor = raw.executor;
  if (!isExecutor(executor)) {
    throw invalid(`scenario "${name}": executor ${JSON.stringify(executor)} is not supported (supported: ${EXECUTORS.join(", ")})`);
  }
  const allowed = [...COMMON_KEYS, ...EXECUTOR_KEYS[executor]];
  const unknown = Object.keys(raw).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw invalid(`scenario "${name}" (${executor}): unknown option${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (allowed: ${allowed.join(", ")})`);
  }
  const where = `scenario "${name}"`;
  const common: ScenarioCommon = {
    name,
    exec: raw.exec === undefined ? "default" : execName(raw.exec, name),
    startTimeMs: duration(raw.startTime, `${where}.startTime`, 0),
    gracefulStopMs: duration(raw.gracefulStop, `${where}.gracefulStop`, 30_000),
    env: stringMap(raw.env, `${where}.env`),
    tags: stringMap(raw.tags, `${where}.tags`),
  };
  switch (executor) {
    case "constant-arrival-rate": {
      const preAllocatedVUs = count(raw.preAllocatedVUs, `${where}.preAllocatedVUs`);
      const maxVUs = count(raw.maxVUs, `${where}.maxVUs`, { fallback: preAllocatedVUs });
      if (maxVUs < preAllocatedVUs || maxVUs === 0) throw invalid(`${where}: maxVUs (${maxVUs}) must be ≥ preAllocatedVUs (${preAllocatedVUs}) and > 0`);
      return {
        ...common,
        executor,
        rate: count(raw.rate, `${where}.rate`, { positive: true }),
        timeUnitMs: duration(raw.timeUnit, `${where}.timeUnit`, 1000),
        durationMs: duration(raw.duration, `${where}.duration`),
        preAllocatedVUs,
        maxVUs,
      };
    }
    case "ramping-arrival-rate": {
      const preAllocatedVUs = count(raw.preAllocatedVUs, `${where}.preAllocatedVUs`);
      const maxVUs = count(raw.maxVUs, `${where}.maxVUs`, { fallback: preAllocatedVUs });
      if (maxVUs < preAllocatedVUs || maxVUs === 0) throw invalid(`${where}: maxVUs (${maxVUs}) must be ≥ preAllocatedVUs (${preAllocatedVUs}) and > 0`);
      if (!Array.isArray(raw.stages) || raw.stages.length === 0) throw invalid(`${where}.stages must be a non-empty array`);
      const stages = raw.stages.map((stage: unknown, index): RampingStage => {
        if (!isRecord(stage)) throw invalid(`${where}.stages[${index}] must be { target, duration }`);
        const extra = Object.keys(stage).filter((key) => key !== "target" && key !== "duration");
        if (extra.length > 0) throw invalid(`${where}.stages[${index}]: unknown option ${extra.join(", ")} (allowed: target, duration)`);
        return { target: count(stage.target, `${where}.stages[${index}].target`), durationMs: duration(stage.duration, `${where}.stages[${index}].duration`) };
      });
      return {
        ...common,
        executor,
        startRate: count(raw.startRate, `${where}.startRate`, { fallback: 0 }),
        timeUnitMs: duration(raw.timeUnit, `${where}.timeUnit`, 1000),
        stages,
        preAllocatedVUs,
        maxVUs,
      };
    }
    case "constant-vus":
      return {
        ...common,
        executor,
        vus: count(raw.vus, `${where}.vus`, { fallback: 1, positive: true }),
        durationMs: duration(raw.duration, `${where}.duration`),
      };
  }
};

const parseThresholds = (raw: unknown): Map<string, ThresholdDefinition[]> => {
  const thresholds = new Map<string, ThresholdDefinition[]>();
  if (raw === undefined) return thresholds;
  if (!isRecord(raw)) throw invalid("thresholds must be an object: { metric: [expressions] }");
  for (const [selector, list] of Object.entries(raw)) {
    const entries = Array.isArray(list) ? (list as unknown[]) : [list];
    thresholds.set(
      selector,
      entries.map((entry) => {
        if (typeof entry === "string") return { expression: entry, abortOnFail: false, delayAbortEvalMs: 0 };
        if (isRecord(entry) && typeof entry.threshold === "string") {
          return {
            expression: entry.threshold,
            abortOnFail: entry.abortOnFail === true,
            delayAbortEvalMs: duration(entry.delayAbortEval, `threshold ${selector}.delayAbortEval`, 0),
          };
        }
        throw invalid(`threshold on ${selector}: ${JSON.stringify(entry)} is neither a string nor { threshold, abortOnFail }`);
      }),
    );
  }
  return thresholds;
};

/** Validates a script's exported `options`; throws a RunnerError (exit 104) naming what is wrong. */
export const parseOptions = (raw: unknown, warn: (message: string) => void): TestOptions => {
  const options = raw === undefined ? {} : raw;
  if (!isRecord(options)) throw invalid("the exported options must be an object");
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTION_KEYS.has(key));
  if (unknown.length > 0) warn(`options not supported by this runner, ignored: ${unknown.join(", ")}`);

  let scenarios: ScenarioConfig[];
  if (options.scenarios !== undefined) {
    if (!isRecord(options.scenarios) || Object.keys(options.scenarios).length === 0) throw invalid("options.scenarios must be a non-empty object");
    scenarios = Object.entries(options.scenarios).map(([name, scenario]) => parseScenario(name, scenario));
  } else if (options.duration !== undefined) {
    // k6's shortcut: `vus` + `duration` without scenarios is one constant-vus scenario.
    scenarios = [parseScenario("default", { executor: "constant-vus", vus: options.vus ?? 1, duration: options.duration })];
  } else {
    throw invalid("options.scenarios is required (or the vus + duration shortcut)");
  }

  const trendStats = options.summaryTrendStats;
  return {
    scenarios,
    thresholds: parseThresholds(options.thresholds),
    summaryTrendStats: Array.isArray(trendStats) ? trendStats.map(String) : DEFAULT_TREND_STATS,
    setupTimeoutMs: duration(options.setupTimeout, "setupTimeout", 60_000),
    teardownTimeoutMs: duration(options.teardownTimeout, "teardownTimeout", 60_000),
    tags: stringMap(options.tags, "options.tags"),
  };
};
