import { describe, expect, it } from "vitest";
import { evaluateTargets } from "./analysis/targets.js";
import { fixtureRun, ordersPoints, renamePoints, reportData } from "./fixtures.test.js";
import { headlineTable, renderReport, table } from "./markdown.js";

describe("markdown", () => {
  it("writes a table with a header separator and escaped pipes", () => {
    expect(table(["a", "b"], [["1", "x|y"]])).toBe("| a | b |\n| --- | --- |\n| 1 | x\\|y |");
  });

  it("puts each run and mode's measured numbers in the headline table", () => {
    const rows = headlineTable(reportData()).split("\n");
    const async = rows.find((r) => r.startsWith("| orders | async"))!;
    const sync = rows.find((r) => r.startsWith("| orders | sync"))!;
    // async: ack p50 14.5 ms, staleness p50 245 ms, 100 % answered; sync: one 503 in 10, 2 dropped.
    expect(async).toContain("| order_ack_duration | 14.5 |");
    expect(async).toContain("| 245.0 |");
    expect(async).toContain("| 100 % |");
    expect(sync).toContain("| 44.5 |");
    expect(sync).toContain("| 90.00 % | 2 |");
  });

  it("evaluates the acknowledgement target from the data and says when a target was not measured", () => {
    const targets = evaluateTargets(reportData());
    // 14.5 / 44.5 = 0.33 ≤ 0.5
    expect(targets[0]).toMatchObject({ status: "met" });
    expect(targets[0]!.measured).toContain("0.33×");
    expect(targets.slice(1).map((t) => t.status)).toEqual(["not measured", "not measured", "not measured"]);
    const slowAsync = ordersPoints().map((p) => (p.metric === "order_ack_duration" && p.tags.mode === "async" ? { ...p, value: p.value * 3 } : p));
    const missed = evaluateTargets(reportData([fixtureRun("orders", "orders", slowAsync)]));
    expect(missed[0]).toMatchObject({ status: "missed" });
  });

  it("judges the staleness target on the order view alone, against refresh interval + 300 ms", () => {
    const rename = fixtureRun("rename-fanout1", "rename", renamePoints());
    const [, , staleness] = evaluateTargets(reportData([rename]));
    // order view p99 = 500 + 0.99 × 900 ≈ 1391 ms > 1300 ms; with both read models it would be ≈ 2391 ms.
    expect(staleness).toMatchObject({ status: "missed" });
    expect(staleness!.measured).toContain("p99 1391 ms vs bound 1300 ms");
    const [, , relaxed] = evaluateTargets({ ...reportData([rename]), refreshIntervalMs: 1_100 });
    expect(relaxed).toMatchObject({ status: "met" });
  });

  it("renders the whole report from data: targets, CPU table, decision table, CPU evidence for a miss", () => {
    const slowAsync = ordersPoints().map((p) => (p.metric === "order_ack_duration" && p.tags.mode === "async" ? { ...p, value: p.value * 3 } : p));
    const report = renderReport(reportData([fixtureRun("orders", "orders", slowAsync)]), ["latency.svg"]);
    expect(report).toContain("## Decision: share synchronously, asynchronously or hybrid");
    expect(report).toContain("❌ missed");
    expect(report).toMatch(/\*\*Missed: Async order acknowledgement.*CPU evidence: orders\/sync: the sampled processes kept \d+\.\d\d of 2 cores busy/);
    // CPU per op: the sync window spans 2.0–2.96 s: gateway 9.6 ticks = 96 ms over 10 iterations.
    expect(report).toMatch(/\| sync \| 10 \| 9\.60 \| 48\.00 \| 57\.60 \|/);
    expect(report).toContain("![latency.svg](latency.svg)");
    expect(report).toContain("dedicated platform instance");
    expect(report).toContain("- Targets: 0 met, 1 missed, 3 not measured.");
    expect(report).toContain("- Knee: async not measured, sync not measured");
  });
});
