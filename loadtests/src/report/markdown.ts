import { METRICS_OF, PROBE_OPS, type ModeSummary } from "./analysis/modeSummary.js";
import type { ReportData, RunResult } from "./analysis/reportData.js";
import { cpuEvidence, cpuOf, evaluateTargets, kneeThroughput, modeOf, runById, type TargetResult } from "./analysis/targets.js";

/** A Markdown table; cells are escaped for pipes. */
export const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string =>
  [headers, headers.map(() => "---"), ...rows].map((row) => `| ${row.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`).join("\n");

export const fmt = (n: number | undefined, digits = 1): string => (n === undefined || !Number.isFinite(n) ? "–" : n.toFixed(digits));
const pct = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? "–" : `${n.toFixed(n === 100 ? 0 : 2)} %`);
const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;

/** Chart files the report links (written next to REPORT.md by index.ts). */
export const CHARTS = {
  latency: "latency.svg",
  storefront: "storefront.svg",
  staleness: "staleness.svg",
  orderDetails: "availability-orderDetails.svg",
  faults: "availability-faults.svg",
} as const;

const cpuTotal = (run: RunResult, mode: string) => {
  const found = cpuOf(run, mode);
  return found ? `${fmt(found.cpu.perOperation.total, 2)}${found.shared ? " (shared)" : ""}` : "–";
};

/** One row per run and mode, then one per phase of a fault run (request latency and 2xx share only). */
export const headlineTable = (data: ReportData): string =>
  table(
    [
      "run",
      "mode",
      "latency metric",
      "p50 ms",
      "p99 ms",
      "iterations/s",
      "requests/s",
      "staleness p50 ms",
      "staleness p99 ms",
      "answered 2xx",
      "dropped",
      "CPU-ms/op (total)",
    ],
    data.runs.flatMap((run) =>
      run.modes.flatMap((m) => [
        [
          run.spec.id,
          m.mode,
          m.latencyMetric,
          fmt(m.latency.p50),
          fmt(m.latency.p99),
          fmt(m.iterationsPerSecond),
          fmt(m.requestsPerSecond),
          fmt(m.staleness?.p50),
          fmt(m.staleness?.p99),
          pct(m.availabilityPercent),
          String(m.dropped),
          cpuTotal(run, m.mode),
        ],
        ...m.phases.map((p) => [
          run.spec.id,
          `${m.mode} · ${p.phase}`,
          "http_req_duration",
          fmt(p.latency.p50),
          fmt(p.latency.p99),
          "–",
          "–",
          "–",
          "–",
          pct(p.availabilityPercent),
          "–",
          "–",
        ]),
      ]),
    ),
  );

export const kneeSection = (data: ReportData): string => {
  const storefront = runById(data, "storefront");
  if (!storefront) return "The storefront did not run, so no knee was measured.";
  const parts = storefront.modes.map((m) => {
    const knee = m.knee;
    const verdict = !knee
      ? "no `step` tags in this mode's samples: no knee computed"
      : !knee.knee
        ? `even the first step's p99 reached ${knee.thresholdMs} ms: no knee`
        : `knee **${knee.knee.step} iterations/s** (p99 ${fmt(knee.knee.p99)} ms; ${fmt(kneeThroughput(m)?.value)} ${kneeThroughput(m)?.unit ?? ""} achieved)${knee.saturated ? "" : ` — every step stayed under ${knee.thresholdMs} ms, so the knee is at least this`}`;
    const steps = table(
      ["step (iterations/s)", "p99 ms", "errors", "requests", "requests/s", "iterations/s"],
      (m.steps ?? []).map((s) => [
        String(s.step),
        fmt(s.p99),
        pct(100 * s.errorRate),
        String(s.requests),
        fmt(s.requestsPerSecond),
        fmt(s.iterationsPerSecond),
      ]),
    );
    return `**${m.mode}**: ${verdict}.\n\n${steps}`;
  });
  return [
    `Knee = the highest arrival-rate step whose p99 (all requests of the step) stays under ${data.kneeP99Ms} ms and whose failed requests (\`http_req_failed\`) stay under 1 %, every lower step too.`,
    ...parts,
  ].join("\n\n");
};

export const targetsSection = (data: ReportData, targets: readonly TargetResult[]): string => {
  const rows = targets.map((t) => [t.target, t.measured, t.status === "met" ? "✅ met" : t.status === "missed" ? "❌ missed" : "– not measured", t.conditions]);
  const misses = targets
    .filter((t) => t.status === "missed" && t.evidence)
    .map((t) => `- **Missed: ${t.target}.** CPU evidence: ${cpuEvidence(data, t.evidence!.run, t.evidence!.mode)}.`);
  return [table(["target", "measured", "status", "conditions"], rows), ...(misses.length ? ["", ...misses] : [])].join("\n");
};

export const faultSection = (data: ReportData): string => {
  const runs = data.runs.filter((run) => run.spec.fault);
  if (runs.length === 0) return "No fault runs in this report.";
  return runs
    .map((run) => {
      const events = table(
        ["action", "context", "at (s since the scenarios' start)", "took"],
        run.faultEvents.map((e) => [
          e.action,
          e.context,
          fmt((e.requestedAt - run.t0) / 1_000),
          `${e.durationMs} ms${e.action === "start" ? " (until ready)" : " (until exit)"}`,
        ]),
      );
      const phases = table(
        ["mode", "phase", "requests", "p50 ms", "p99 ms", "answered 2xx", "marked degraded"],
        run.modes.flatMap((m) =>
          m.phases.map((p) => [
            m.mode,
            p.phase,
            String(p.requests),
            fmt(p.latency.p50),
            fmt(p.latency.p99),
            pct(p.availabilityPercent),
            pct(p.degradedPercent),
          ]),
        ),
      );
      const counters = run.modes
        .filter((m) => Object.keys(m.counters).length > 0)
        .map(
          (m) =>
            `- ${m.mode}: ${Object.entries(m.counters)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")}`,
        );
      const fault = run.spec.fault!;
      return [
        `### ${run.spec.id}: ${fault.context} stopped at ${fault.at} s for ${fault.for} s (offsets from the scenarios' start)\n`,
        run.faultEvents.length === 0 ? "**No stop/start was recorded: the fault was not injected.**" : events,
        "",
        phases,
        ...(counters.length ? ["", ...counters] : []),
      ].join("\n");
    })
    .join("\n\n");
};

export const cpuSection = (data: ReportData): string =>
  data.runs
    .filter((run) => Object.keys(run.cpu).length > 0)
    .map((run) => {
      const rows = Object.entries(run.cpu).map(([label, cpu]) => [
        label,
        String(cpu.operations),
        ...[...data.cpuTargets, "total"].map((t) => fmt(cpu.perOperation[t], 2)),
        fmt(cpu.cores.total, 2),
      ]);
      return `**${run.spec.id}** (operation = ${run.operationBasis === "iterations" ? "one completed iteration, its probes included" : "one HTTP request"})\n\n${table(["mode", "operations", ...data.cpuTargets, "total", "cores busy"], rows)}`;
    })
    .join("\n\n");

const cell = (mode: ModeSummary | undefined, pick: (m: ModeSummary) => string) => (mode ? pick(mode) : "not measured");

/** The seed's decision — share synchronously, asynchronously or hybrid — with this report's numbers. */
export const decisionTable = (data: ReportData): string => {
  const orders = runById(data, "orders");
  const storefront = runById(data, "storefront");
  const faults = runById(data, "faults");
  const details = runById(data, "orderDetails");
  const renames = data.runs.filter((r) => r.spec.scenario === "rename" && !r.problem);
  const renameLine = (mode: string, pick: (m: ModeSummary) => string) =>
    renames.map((r) => `fan-out ${r.spec.env.FANOUT}: ${cell(modeOf(r, mode), pick)}`).join("; ") || "not measured";
  const phase = (run: RunResult | undefined, mode: string, name: string) => modeOf(run, mode)?.phases.find((p) => p.phase === name);
  const duringText = (run: RunResult | undefined, mode: string) => {
    const p = phase(run, mode, "during");
    return p
      ? `${pct(p.availabilityPercent)} answered 2xx, p99 ${fmt(p.latency.p99)} ms${p.degradedPercent !== undefined ? `, ${pct(p.degradedPercent)} degraded` : ""}`
      : "not measured";
  };
  const healthyP99 = (mode: string) => {
    const p = phase(details, mode, "healthy");
    return p ? `${fmt(p.latency.p99)} ms` : "not measured";
  };
  const knee = (mode: string) => {
    const m = modeOf(storefront, mode);
    return m?.knee?.knee ? `${m.knee.knee.step} iterations/s` : "not measured";
  };
  const cpuPerOp = (run: RunResult | undefined, mode: string) => (run ? cpuTotal(run, mode) : "–");
  return table(
    ["approach", "the seed: use it when", "measured here", "holds under"],
    [
      [
        "**Synchronous** (request/response, orchestrated saga: `flow=sync`, `propagation=sync`)",
        "strong consistency is required (money, stock); the caller must know the outcome now; the cost is latency, coupling and cascading failure",
        `order ack p50/p99 ${cell(modeOf(orders, "sync"), (m) => `${fmt(m.latency.p50)}/${fmt(m.latency.p99)} ms`)}; knee ${knee("sync")}; rename ack p99 ${renameLine("sync", (m) => `${fmt(m.latency.p99)} ms`)}; with inventory down: ${duringText(faults, "sync")}; CPU ${cpuPerOp(orders, "sync")} ms/order`,
        `every participant up; the saga's latency grows with the fan-out it must update; ${orders?.spec.rateNote ?? ""}`,
      ],
      [
        "**Asynchronous** (events, local copies: choreography, async rename)",
        "temporary inconsistency is acceptable; throughput, low latency and availability matter; services should evolve independently",
        `order ack p50/p99 ${cell(modeOf(orders, "async"), (m) => `${fmt(m.latency.p50)}/${fmt(m.latency.p99)} ms`)}, confirmed p99 ${cell(modeOf(orders, "async"), (m) => `${fmt(m.staleness?.p99)} ms`)}; knee ${knee("async")}; staleness p99 ${renameLine("async", (m) => `${fmt(m.staleness?.p99)} ms`)}; with inventory down: ${duringText(faults, "async")}${modeOf(faults, "async")?.counters.orders_lost !== undefined ? `, ${modeOf(faults, "async")!.counters.orders_lost} lost` : ""}; CPU ${cpuPerOp(orders, "async")} ms/order`,
        `readers tolerate the staleness window (index refresh ${data.refreshIntervalMs ?? "?"} ms + delivery); the broker and the consumer keep up with the event rate`,
      ],
      [
        "**Hybrid** (local copy of the essentials + a synchronous call for details: `include=productDetails`)",
        "the essentials are read often and the details are needed fresh, but not always; a degraded answer is better than none",
        `order details p99 (healthy) local ${healthyP99("local")} vs hybrid ${healthyP99("hybrid")}; catalog down: hybrid ${duringText(details, "hybrid")}, local ${duringText(details, "local")}; CPU ${cpuPerOp(details, "hybrid")} vs ${cpuPerOp(details, "local")} ms/read`,
        "the breaker opens quickly and the local copy is an acceptable fallback (answers marked degraded)",
      ],
    ],
  );
};

/** The knees of both configurations and, per missed target, its cause from the CPU table. */
export const closingNote = (data: ReportData, targets: readonly TargetResult[]): string => {
  const storefront = runById(data, "storefront");
  const knee = (mode: string) => {
    const m = modeOf(storefront, mode);
    return m?.knee?.knee ? `${m.knee.knee.step} iterations/s${m.knee.saturated ? "" : " (or more: never saturated)"}` : "not measured";
  };
  const counts = (status: string) => targets.filter((t) => t.status === status).length;
  const lines = [
    `- Knee: async ${knee("async")}, sync ${knee("sync")} (p99 < ${data.kneeP99Ms} ms, errors < 1 %).`,
    `- Targets: ${counts("met")} met, ${counts("missed")} missed, ${counts("not measured")} not measured.`,
    ...targets
      .filter((t) => t.status === "missed")
      .map(
        (t) =>
          `- Missed "${t.target}" (${t.measured}). Cause, from the CPU table: ${t.evidence ? cpuEvidence(data, t.evidence.run, t.evidence.mode) : "no CPU evidence"}.`,
      ),
  ];
  return lines.join("\n");
};

/** REPORT.md, generated entirely from `data`. */
export const renderReport = (data: ReportData, charts: readonly string[]): string => {
  const targets = evaluateTargets(data);
  const runList = table(
    ["run", "command", "exit", "thresholds crossed", "duration"],
    data.runs.map((run) => [
      run.spec.id,
      `\`${run.command}\``,
      String(run.exitCode),
      run.problem ??
        (run.thresholds
          .filter((t) => !t.ok)
          .map((t) => `${t.metric}: ${t.expression}`)
          .join("; ") ||
          "none"),
      seconds(run.endedAt - run.startedAt),
    ]),
  );
  const chartLinks = charts.map((file) => `![${file}](${file})`).join("\n\n");
  return `# Load-test report: synchronous vs asynchronous data sharing

${data.quick ? "> **Smoke run (`--quick`)**: short durations and low rates; the numbers show the pipeline works, not the platform's capacity.\n\n" : ""}## How it was produced

- Command: \`${data.command}\`, ${data.date}, commit \`${data.commit}\`.
- Machine: ${data.machine.cores} cores (${data.machine.cpuModel}), ${fmt(data.machine.memoryGiB)} GiB RAM, ${data.machine.kernel}; Node ${data.nodeVersion}. The load generator (the bundled k6-compatible runner) ran on the **same machine** as the platform and the data stores, so it competes with them for CPU; its own CPU is in the tables as \`loadgen\`.
- Platform: a **dedicated platform instance** started by the report — the four contexts (all roles each) and the gateway as child processes on free ports, in a namespace of their own (\`${data.namespace}\`: fresh keyspaces, JetStream streams and Elasticsearch indices, dropped at the end), gateway rate limit lifted (\`RATE_LIMIT_LIMIT=100000000\`). Why: a known configuration, control over faults (the report stops and restarts context processes through its control server), and clean indices, so runs are comparable and nobody else's traffic is measured.
- Data stores: the local Cassandra, Elasticsearch and NATS (\`deploy/local/stack\`), shared with the machine.
- CPU: utime+stime from \`/proc/<pid>/stat\` every second (CLK_TCK ${data.clockTicksPerSecond}) for each context process, the gateway, the load generator, and the whole process tree of each data store; attributed to a mode by the mode's window (first to last sample of that mode in the run's JSON output), divided by the mode's completed iterations.
- Index refresh interval of the ordering indices: ${data.refreshIntervalMs ?? "not found"} ms (${data.refreshIntervalSource}).

## Headline

${headlineTable(data)}

Latency and staleness metric per scenario (the scripts' own trends): ${Object.entries(METRICS_OF)
    .map(([scenario, m]) => `${scenario}: \`${m.latency}\`${m.staleness ? ` / \`${m.staleness}\`` : ""}`)
    .join(
      "; ",
    )}. Staleness is the time until the effect is visible: orders until CONFIRMED shows, rename until the order view and the history show the new name, faults until an async order acknowledged during the fault settles. "answered 2xx" is over the mode's operations: the scripts' probes (requests tagged \`op\` ${[...PROBE_OPS].map((op) => `\`${op}\``).join(", ")}: polling until visible, where a 404 is expected) are left out; requests/s counts every request. Phase rows (fault runs) use \`http_req_duration\` of the operations.

## Knee (storefront)

${kneeSection(data)}

## Targets

${targetsSection(data, targets)}

## Faults

${faultSection(data)}

## CPU-ms per operation per process

${cpuSection(data) || "No CPU samples."}

## Charts

${chartLinks || "No charts were produced."}

## Decision: share synchronously, asynchronously or hybrid

${decisionTable(data)}

## Closing note

${closingNote(data, targets)}

## Runs

${runList}
${data.notes.length ? `\n## Notes\n\n${data.notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
};
