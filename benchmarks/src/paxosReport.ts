/** Side-by-side table of the paxos.sh runs (results/paxos-<variant>-run<n>-latest.json). */
import { numberOption } from "./lib/args.js";
import type { ClosedLoopResult } from "./lib/closedLoop.js";
import { loadResult, saveResult } from "./lib/results.js";
import { median } from "./lib/stats.js";
import { fmt, printTable } from "./lib/table.js";

const runs = numberOption("runs", 2);
const paths = ["raw", "store", "reliable"] as const;
const names = { raw: "raw driver INSERT IF NOT EXISTS", store: "ours: eventStore.append", reliable: "ours: reliable path" };
const byVariant: Record<string, ClosedLoopResult[][]> = {};
for (const variant of ["v1", "v2"]) {
  byVariant[variant] = [];
  for (let run = 1; run <= runs; run++) {
    const result = await loadResult<{ results: ClosedLoopResult[]; paxosVariant: string }>(`paxos-${variant}-run${run}`);
    if (!result) {
      console.log(`(no results/paxos-${variant}-run${run}-latest.json: that run is missing, left out)`);
      continue;
    }
    if (result.paxosVariant !== variant) throw new Error(`run paxos-${variant}-run${run} ran on paxos_variant=${result.paxosVariant}`);
    byVariant[variant].push(result.results);
  }
}
const cell = (variant: string, path: string, pick: (r: ClosedLoopResult) => number) =>
  byVariant[variant]!.map((results) => pick(results.find((r) => r.label === path)!));
const rows = paths.flatMap((path) => {
  const concurrency = byVariant.v1![0]!.find((r) => r.label === path)!.concurrency;
  const ops = (v: string) => cell(v, path, (r) => r.opsPerS);
  const p99 = (v: string) => cell(v, path, (r) => r.latencyMs.p99);
  const p50 = (v: string) => cell(v, path, (r) => r.latencyMs.p50);
  const list = (xs: number[]) => xs.map((x) => fmt(x)).join(" / ");
  return [[
    names[path],
    concurrency,
    list(ops("v1")),
    list(ops("v2")),
    fmt(median(ops("v2")) / median(ops("v1"))),
    list(p50("v1")),
    list(p50("v2")),
    list(p99("v1")),
    list(p99("v2")),
    fmt(median(p99("v2")) / median(p99("v1"))),
  ]];
});
console.log(`\n### paxos_variant v1 vs v2 (each run listed, run1 / run2 …; ratios of medians)\n`);
printTable(["path", "concurrency", "v1 ops/s", "v2 ops/s", "v2 ÷ v1 ops/s", "v1 p50 ms", "v2 p50 ms", "v1 p99 ms", "v2 p99 ms", "v2 ÷ v1 p99"], rows);
console.log(`\nfigures saved to ${await saveResult("paxos", { runs, byVariant })}`);
