import type { CpuPerOperation } from "./cpu.js";
import type { ModeSummary } from "./modeSummary.js";
import type { ReportData, RunResult } from "./reportData.js";

export type TargetStatus = "met" | "missed" | "not measured";

export interface TargetResult {
  target: string;
  measured: string;
  status: TargetStatus;
  /** The run and mode whose CPU explains a miss. */
  evidence?: { run: RunResult; mode: string };
  conditions: string;
}

export const runById = (data: ReportData, id: string) => data.runs.find((run) => run.spec.id === id && !run.problem);

/** The CPU attribution covering a mode: its own, or the shared one of modes that ran side by side. */
export const cpuOf = (run: RunResult, mode: string): { cpu: CpuPerOperation; shared: boolean } | undefined => {
  const own = run.cpu[mode];
  if (own) return { cpu: own, shared: false };
  const shared = Object.entries(run.cpu).find(([label]) => label.split("+").includes(mode));
  return shared ? { cpu: shared[1], shared: true } : undefined;
};
export const modeOf = (run: RunResult | undefined, mode: string): ModeSummary | undefined => run?.modes.find((m) => m.mode === mode);

const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? "n/a" : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const notMeasured = (target: string, why: string): TargetResult => ({ target, measured: why, status: "not measured", conditions: "" });

/** Throughput at a mode's knee: completed iterations/s, or requests/s if iterations carry no step tag. */
export const kneeThroughput = (mode: ModeSummary | undefined): { value: number; unit: string } | undefined => {
  const knee = mode?.knee?.knee;
  if (!knee) return undefined;
  return Number.isFinite(knee.iterationsPerSecond)
    ? { value: knee.iterationsPerSecond, unit: "iterations/s" }
    : { value: knee.requestsPerSecond, unit: "requests/s" };
};

/** The issue's four targets, each measured or marked as not measured with the reason. */
export const evaluateTargets = (data: ReportData): TargetResult[] => {
  const results: TargetResult[] = [];

  const orders = runById(data, "orders");
  const asyncAck = modeOf(orders, "async");
  const syncAck = modeOf(orders, "sync");
  const ackTarget = "Async order acknowledgement p50 ≤ 0.5 × sync saga p50 (at 50 % of the async knee)";
  if (asyncAck && syncAck && Number.isFinite(asyncAck.latency.p50) && Number.isFinite(syncAck.latency.p50)) {
    const ratio = asyncAck.latency.p50 / syncAck.latency.p50;
    results.push({
      target: ackTarget,
      measured: `async ${ms(asyncAck.latency.p50)} / sync ${ms(syncAck.latency.p50)} = ${ratio.toFixed(2)}×`,
      status: ratio <= 0.5 ? "met" : "missed",
      evidence: { run: orders!, mode: "sync" },
      conditions: `orders run at ${orders!.spec.rateNote ?? "its default rate"}; metric ${asyncAck.latencyMetric}`,
    });
  } else results.push(notMeasured(ackTarget, "the orders run has no async and sync latency"));

  const storefront = runById(data, "storefront");
  const kneeTarget = "Async throughput at the knee ≥ 1.5 × sync";
  const asyncKnee = kneeThroughput(modeOf(storefront, "async"));
  const syncKnee = kneeThroughput(modeOf(storefront, "sync"));
  if (asyncKnee && syncKnee) {
    const ratio = asyncKnee.value / syncKnee.value;
    const capped = ["async", "sync"].filter((m) => modeOf(storefront, m)?.knee?.saturated === false);
    results.push({
      target: kneeTarget,
      measured: `async ${asyncKnee.value.toFixed(1)} / sync ${syncKnee.value.toFixed(1)} ${asyncKnee.unit} = ${ratio.toFixed(2)}×`,
      status: ratio >= 1.5 ? "met" : "missed",
      evidence: { run: storefront!, mode: "async" },
      conditions: `knee = highest step with p99 < ${data.kneeP99Ms} ms${capped.length ? `; ${capped.join(" and ")} never crossed it, so its knee is a lower bound` : ""}`,
    });
  } else
    results.push(
      notMeasured(
        kneeTarget,
        storefront ? "no knee in one of the modes (even the first step crossed the threshold, or no step tags)" : "the storefront did not run",
      ),
    );

  const stalenessTarget = "Async staleness (order view shows a rename) p99 ≤ index refresh interval + 300 ms";
  const rename = runById(data, "rename-fanout1");
  const asyncRename = modeOf(rename, "async");
  const orderView = asyncRename?.trends.rename_staleness_order_view;
  const staleness = orderView ?? asyncRename?.staleness;
  if (asyncRename && staleness && data.refreshIntervalMs !== undefined) {
    const bound = data.refreshIntervalMs + 300;
    results.push({
      target: stalenessTarget,
      measured: `p99 ${ms(staleness.p99)} vs bound ${bound} ms (refresh ${data.refreshIntervalMs} ms; ${orderView ? "order view alone" : "order view and history"})`,
      status: staleness.p99 <= bound ? "met" : "missed",
      evidence: { run: rename!, mode: "async" },
      conditions: `fan-out 1, ${asyncRename.iterationsPerSecond.toFixed(1)} renames/s achieved (the script's rate, not 50 % of the storefront knee: a rename is not a storefront iteration); ${staleness.count} samples`,
    });
  } else
    results.push(
      notMeasured(stalenessTarget, rename ? "no rename_staleness samples for async, or no refresh interval found" : "the rename run (fan-out 1) did not run"),
    );

  const hybridTarget = "Hybrid order details with the catalog down (breaker open): p99 < 50 ms, 100 % answered";
  const details = runById(data, "orderDetails");
  const during = modeOf(details, "hybrid")?.phases.find((p) => p.phase === "during");
  if (during && during.requests > 0) {
    results.push({
      target: hybridTarget,
      measured: `p99 ${ms(during.latency.p99)}, ${during.availabilityPercent.toFixed(2)} % answered 2xx (${during.requests} requests${during.degradedPercent !== undefined ? `, ${during.degradedPercent.toFixed(1)} % marked degraded` : ""})`,
      status: during.latency.p99 < 50 && during.availabilityPercent === 100 ? "met" : "missed",
      evidence: { run: details!, mode: "hybrid" },
      conditions: "every hybrid request tagged phase=during, including those before the breaker opened",
    });
  } else results.push(notMeasured(hybridTarget, details ? "no hybrid requests tagged phase=during" : "the order-details run did not run"));

  return results;
};

/**
 * Why a target may have been missed, from the CPU table: the busiest processes in that run and
 * mode, and whether together they kept the machine's cores busy.
 */
export const cpuEvidence = (data: ReportData, run: RunResult, mode: string): string => {
  const found = cpuOf(run, mode);
  if (!found) return "no CPU samples for that window";
  const cpu = found.cpu;
  const busiest = Object.entries(cpu.cores)
    .filter(([name, cores]) => name !== "total" && Number.isFinite(cores))
    .sort(([, a], [, b]) => b - a)
    .slice(0, 3)
    .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
    .join(", ");
  const total = cpu.cores.total ?? Number.NaN;
  const saturated = total >= 0.85 * data.machine.cores;
  return `${run.spec.id}/${mode}${found.shared ? " (window shared with the other mode)" : ""}: the sampled processes kept ${total.toFixed(2)} of ${data.machine.cores} cores busy (${busiest})${saturated ? " — the machine was CPU-saturated" : " — not CPU-saturated by the sampled processes"}`;
};
