import { formatDuration } from "./duration.js";
import type { GroupSummary } from "./groupTree.js";
import type { SummaryData, SummaryMetric } from "./summary.js";

const formatBytes = (bytes: number): string => {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
};

const formatNumber = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 4 : 2).replace(/\.?0+$/, ""));

const formatValue = (metric: SummaryMetric, value: number): string =>
  metric.contains === "time" ? formatDuration(value) : metric.contains === "data" ? formatBytes(value) : formatNumber(value);

const describeMetric = (metric: SummaryMetric): string => {
  const { values } = metric;
  switch (metric.type) {
    case "counter":
      return `${formatValue(metric, values.count ?? 0).padEnd(10)} ${metric.contains === "data" ? `${formatBytes(values.rate ?? 0)}/s` : `${formatNumber(values.rate ?? 0)}/s`}`;
    case "gauge":
      return `${formatValue(metric, values.value ?? 0).padEnd(10)} min=${formatValue(metric, values.min ?? 0)} max=${formatValue(metric, values.max ?? 0)}`;
    case "rate":
      return `${((values.rate ?? 0) * 100).toFixed(2)}%`.padEnd(10) + ` ✓ ${values.passes ?? 0} ✗ ${values.fails ?? 0}`;
    case "trend":
      return Object.entries(values)
        .map(([stat, value]) => `${stat}=${formatValue(metric, value)}`)
        .join(" ");
  }
};

const groupLines = (group: GroupSummary, indent: string): string[] => {
  const lines: string[] = [];
  for (const check of group.checks) {
    const total = check.passes + check.fails;
    lines.push(`${indent}${check.fails === 0 ? "✓" : "✗"} ${check.name}`);
    if (check.fails > 0) lines.push(`${indent}  ↳ ${Math.round((check.passes / total) * 100)}% — ✓ ${check.passes} / ✗ ${check.fails}`);
  }
  for (const child of group.groups) {
    lines.push("", `${indent}█ ${child.name}`, "");
    lines.push(...groupLines(child, `${indent}  `));
  }
  return lines;
};

/** A k6-like end-of-test summary: checks by group, then one line per metric (sub-metrics under theirs). */
export const renderTextSummary = (data: SummaryData): string => {
  const lines = ["", ...groupLines(data.root_group, "     "), ""];
  const names = Object.keys(data.metrics).sort();
  const parents = names.filter((name) => !name.includes("{"));
  for (const name of parents) {
    const family = [name, ...names.filter((candidate) => candidate.startsWith(`${name}{`))];
    for (const key of family) {
      const metric = data.metrics[key];
      if (!metric) continue;
      const thresholds = Object.values(metric.thresholds ?? {});
      const mark = thresholds.length === 0 ? " " : thresholds.every((threshold) => threshold.ok) ? "✓" : "✗";
      const label = key === name ? key : `  { ${key.slice(name.length + 1, -1).replaceAll(",", ", ")} }`;
      lines.push(`   ${mark} ${label.padEnd(40, ".")}: ${describeMetric(metric)}`);
    }
  }
  lines.push("", `     test run duration: ${formatDuration(data.state.testRunDurationMs)}`, "");
  return lines.join("\n");
};
