/**
 * Side-by-side tables of the cassandraVariants.sh runs (results/<setting>-<value>-run<n>-latest.json):
 * per path and concurrency, each value's ops/s, p50 and p99 and their ratios against the first value.
 * Refuses a run that the node reports as having run on another value than its name says.
 *
 *   node benchmarks/dist/variantsReport.js --setting <paxos|commitlog> --values a,b,c [--runs 2]
 */
import { benchArgs } from "./lib/args.js";
import type { ClosedLoopResult } from "./lib/closedLoop.js";
import { loadResult, saveResult } from "./lib/results.js";
import { median } from "./lib/stats.js";
import { fmt, printTable } from "./lib/table.js";

/** What append.js saved about one run: its figures and what system_views.settings reported. */
interface AppendRun {
  results: ClosedLoopResult[];
  paxosVariant?: string;
  commitlogSync?: string;
  commitlogSyncGroupWindow?: string;
}

interface Setting {
  /** The cassandra.yaml / system_views.settings name. */
  name: string;
  ranOn: (run: AppendRun) => string | undefined;
  /** What else the row should say about the run's configuration, if anything. */
  detail: (run: AppendRun) => string | undefined;
}

const SETTINGS: Record<string, Setting> = {
  paxos: { name: "paxos_variant", ranOn: (run) => run.paxosVariant, detail: () => undefined },
  commitlog: {
    name: "commitlog_sync",
    ranOn: (run) => run.commitlogSync,
    detail: (run) => (run.commitlogSync === "group" ? `window ${run.commitlogSyncGroupWindow}` : undefined),
  },
};
const PATHS: Record<string, string> = { raw: "raw driver INSERT IF NOT EXISTS", store: "ours: eventStore.append", reliable: "ours: reliable path" };

const args = benchArgs(["setting", "values", "runs"]);
const settingName = args.option("setting", "");
const setting = SETTINGS[settingName];
if (!setting) throw new Error(`--setting must be one of ${Object.keys(SETTINGS).join(", ")}, got '${settingName}'`);
const values = args
  .option("values", "")
  .split(",")
  .filter((v) => v.length > 0);
if (values.length === 0) throw new Error("--values: give the values compared, first one the baseline, e.g. --values periodic,group,batch");
const baseline = values[0]!;
const runs = args.number("runs", 2);

const byValue = new Map<string, AppendRun[]>();
for (const value of values) {
  const found: AppendRun[] = [];
  for (let run = 1; run <= runs; run++) {
    const name = `${settingName}-${value}-run${run}`;
    const result = await loadResult<AppendRun>(name);
    if (!result) {
      console.log(`(no results/${name}-latest.json: that run is missing, left out)`);
      continue;
    }
    const ranOn = setting.ranOn(result);
    if (ranOn !== value) throw new Error(`run ${name} ran on ${setting.name}=${ranOn ?? "unknown"}, not ${value}`);
    found.push(result);
  }
  byValue.set(value, found);
}

/** Every (path, concurrency) measured, in the order append.js ran them. */
const cells = new Map<string, { path: string; concurrency: number }>();
for (const run of [...byValue.values()].flat()) {
  for (const r of run.results) cells.set(`${r.concurrency} ${r.label}`, { path: r.label, concurrency: r.concurrency });
}

console.log(`\n## ${setting.name}: ${values.join(" vs ")} (each run listed, run 1 / run 2 …; ratios of medians against ${baseline})`);
for (const { path, concurrency } of cells.values()) {
  const of = (value: string) => byValue.get(value)!.flatMap((run) => run.results.filter((r) => r.label === path && r.concurrency === concurrency));
  const list = (xs: number[]) => xs.map((x) => fmt(x)).join(" / ") || "n/a";
  const ratio = (value: string, pick: (r: ClosedLoopResult) => number) => fmt(median(of(value).map(pick)) / median(of(baseline).map(pick)));
  const opsPerS = (r: ClosedLoopResult) => r.opsPerS;
  const p50 = (r: ClosedLoopResult) => r.latencyMs.p50;
  const p99 = (r: ClosedLoopResult) => r.latencyMs.p99;
  console.log(`\n### ${PATHS[path] ?? path}, concurrency ${concurrency}\n`);
  printTable(
    [setting.name, "ops/s", "p50 ms", "p99 ms", "errors", `ops/s ÷ ${baseline}`, `p50 ÷ ${baseline}`, `p99 ÷ ${baseline}`],
    values.map((value) => {
      const firstRun = byValue.get(value)![0];
      const detail = firstRun && setting.detail(firstRun);
      return [
        detail ? `${value} (${detail})` : value,
        list(of(value).map(opsPerS)),
        list(of(value).map(p50)),
        list(of(value).map(p99)),
        of(value).reduce((sum, r) => sum + r.errors, 0),
        ratio(value, opsPerS),
        ratio(value, p50),
        ratio(value, p99),
      ];
    }),
  );
}
const figures = Object.fromEntries([...byValue].map(([value, found]) => [value, found.map((run) => run.results)]));
console.log(`\nfigures saved to ${await saveResult(settingName, { setting: setting.name, values, runs, byValue: figures })}`);
