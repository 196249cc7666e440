import type { ProcessEvent } from "@bazaar/testing";
import type { RunSpec } from "../plan.js";
import type { CpuPerOperation } from "./cpu.js";
import type { ModeSummary } from "./modeSummary.js";

/** Everything measured in one run, reduced to what the report prints and charts. */
export interface RunResult {
  spec: RunSpec;
  /** The runner's command line as run (token elided). */
  command: string;
  exitCode: number | null;
  startedAt: number;
  endedAt: number;
  /** The run's first sample of a mode (epoch ms, ≈ the scenarios' start): time 0 of its availability series. */
  t0: number;
  modes: ModeSummary[];
  /**
   * CPU-ms per operation per process, keyed by mode — or by "a+b" for modes that ran side by
   * side and share one window (see cpuWindows).
   */
  cpu: Record<string, CpuPerOperation>;
  /** What "operation" means for the CPU division of this run. */
  operationBasis: "iterations" | "http_reqs";
  /** Stops and starts the fault control did during this run. */
  faultEvents: ProcessEvent[];
  /** Thresholds of the script as the runner's summary reports them. */
  thresholds: { metric: string; expression: string; ok: boolean }[];
  /** Set when the run produced nothing to analyse. */
  problem?: string;
}

export interface Machine {
  cores: number;
  memoryGiB: number;
  cpuModel: string;
  kernel: string;
}

export interface ReportData {
  command: string;
  date: string;
  commit: string;
  machine: Machine;
  nodeVersion: string;
  namespace: string;
  quick: boolean;
  clockTicksPerSecond: number;
  /** The ordering indices' refresh interval, read from the projection's settings in the code. */
  refreshIntervalMs: number | undefined;
  refreshIntervalSource: string;
  kneeP99Ms: number;
  cpuTargets: string[];
  runs: RunResult[];
  /** Lines worth keeping (platform start, fault control, problems). */
  notes: string[];
}
