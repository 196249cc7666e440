import type { ContextName } from "@bazaar/testing";

/** A fault the report injects into a run through the control server. */
export interface FaultSpec {
  context: ContextName;
  /** Seconds from the scenarios' start (after setup). */
  at: number;
  for: number;
}

/** One run of one scenario script. */
export interface RunSpec {
  /** Unique per report, used for file names: e.g. `rename-fanout100`. */
  id: string;
  scenario: string;
  title: string;
  /** Runner flags besides BASE/TOKEN/outputs, e.g. `--rate 5`. */
  flags: string[];
  env: Record<string, string>;
  fault?: FaultSpec;
  /** Why this run uses the rate it does, for the report (e.g. "50 % of the async knee"). */
  rateNote?: string;
}

export const SCENARIOS = ["storefront", "orders", "rename", "orderDetails", "faults"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface PlanOptions {
  quick: boolean;
  only?: readonly string[];
  kneeP99Ms: number;
}

const quickFlags = (rate: number, duration: string) => ["--rate", String(rate), "--duration", duration];

/**
 * The runs in order. The storefront comes first: its async knee sets the orders run's rate
 * (see `ordersRun`), which is why the orders run is built later, once the knee is known.
 */
export const planRuns = (options: PlanOptions): RunSpec[] => {
  const wanted = (name: ScenarioName) => !options.only || options.only.includes(name);
  const q = options.quick;
  const runs: RunSpec[] = [];
  if (wanted("storefront"))
    runs.push({
      id: "storefront",
      scenario: "storefront",
      title: "Storefront mix, stepped arrival rate to saturation",
      flags: q ? ["--duration", "4s"] : [],
      env: { KNEE_P99_MS: String(options.kneeP99Ms), ...(q ? { STEPS: "2,4" } : {}) },
    });
  if (wanted("orders")) runs.push(ordersRun(options, undefined));
  if (wanted("rename"))
    for (const fanout of q ? [1, 10] : [1, 100, 1000])
      runs.push({
        id: `rename-fanout${fanout}`,
        scenario: "rename",
        title: `Rename, ${fanout} order(s) per product`,
        flags: q ? quickFlags(1, "4s") : [],
        env: { FANOUT: String(fanout) },
      });
  if (wanted("orderDetails")) {
    // One run: the script runs each mode alone on the healthy platform (phase "healthy"), then both
    // together before, during and after the fault. FAULT_AT must clear the healthy part: with the
    // script's defaults (20 s per mode, 5 s gap, 5 s lead-in) that is ≥ 55 s. The hybrid path's
    // product cache lives 30 s, so the catalog stays down 30 s for the cache to thin out.
    const fault: FaultSpec = q ? { context: "catalog", at: 17, for: 5 } : { context: "catalog", at: 60, for: 30 };
    runs.push({
      id: "orderDetails",
      scenario: "orderDetails",
      title: "Order details: local vs hybrid, healthy, then with the catalog stopped",
      flags: q ? quickFlags(5, "4s") : [],
      env: q ? { GAP: "2", AFTER: "5" } : {},
      fault,
    });
  }
  if (wanted("faults")) {
    const fault: FaultSpec = q ? { context: "inventory", at: 3, for: 5 } : { context: "inventory", at: 15, for: 30 };
    runs.push({
      id: "faults",
      scenario: "faults",
      title: `Orders with inventory stopped for ${fault.for} s`,
      flags: q ? quickFlags(3, "12s") : [],
      env: {},
      fault,
    });
  }
  return runs;
};

/**
 * The orders run at 50 % of the storefront's async knee (iterations/s), the rate the issue's
 * acknowledgement target is stated at; without a knee the script's default rate, and the report says so.
 */
export const ordersRun = (options: PlanOptions, asyncKnee: number | undefined): RunSpec => {
  const half = asyncKnee !== undefined ? Math.max(1, Math.floor(asyncKnee / 2)) : undefined;
  const rateFlags = options.quick ? quickFlags(half !== undefined ? Math.min(half, 3) : 3, "4s") : half !== undefined ? ["--rate", String(half)] : [];
  return {
    id: "orders",
    scenario: "orders",
    title: "Orders: choreography vs orchestration",
    flags: rateFlags,
    env: {},
    rateNote:
      half !== undefined
        ? `--rate ${rateFlags[1]} (50 % of the async knee of ${asyncKnee}/s${options.quick ? ", capped for --quick" : ""})`
        : options.quick
          ? "--rate 3 (--quick, and no async knee to take 50 % of)"
          : "the script's default rate (no async knee was found, so not 50 % of it)",
  };
};

/** The runner flags that inject a run's fault: stop at `at`, start again at `at + for`. */
export const faultFlags = (fault: FaultSpec, url: (action: "stop" | "start", context: ContextName) => string): string[] => [
  "-e",
  `FAULT_AT=${fault.at}`,
  "-e",
  `FAULT_FOR=${fault.for}`,
  "--exec-at",
  `${fault.at}:curl -fsS -XPOST ${url("stop", fault.context)}`,
  "--exec-at",
  `${fault.at + fault.for}:curl -fsS -XPOST ${url("start", fault.context)}`,
];
