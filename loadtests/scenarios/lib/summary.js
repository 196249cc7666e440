// handleSummary helpers: a short text table of a script's own metrics per mode, and the full
// summary data as JSON under SUMMARY_DIR for the report.

/** The key k6 gives a submetric: `metric{tag:value,…}`, as written in `thresholds`. */
export const sub = (metric, tags) =>
  `${metric}{${Object.entries(tags)
    .map(([k, v]) => `${k}:${v}`)
    .join(",")}}`;

/** Table rows `[phase, mode, ...cells(phase, mode)]`, every mode of each phase in turn. */
export const rowsByPhaseAndMode = (phases, modes, cells) => phases.flatMap((phase) => modes.map((mode) => [phase, mode, ...cells(phase, mode)]));

/** The `values` of a metric or submetric in the summary data, or null when it has none. */
export const valuesOf = (data, key) => (data.metrics[key] && data.metrics[key].values) || null;

const fixed = (value, digits) => (value === undefined || value === null || Number.isNaN(value) ? "-" : Number(value).toFixed(digits));

/**
 * Whether a metric has samples: a threshold's submetric is in the summary even when empty. A
 * trend says so by `count` (k6, with "count" in summaryTrendStats); where `count` is missing,
 * an empty trend reads min = max = 0, which no measured latency does.
 */
const sampled = (values) => {
  if (!values) return false;
  if (values.passes !== undefined) return values.passes + values.fails > 0;
  if (values.count !== undefined) return values.count > 0;
  return !(values.min === 0 && values.max === 0);
};

/** How many samples a rate holds (passes + fails): a count of requests that works without trend counts. */
export const samplesOf = (values) => (values && values.passes !== undefined ? values.passes + values.fails : 0);

/** Formatters for table cells, from a metric's values ("-": nothing measured). */
export const cell = {
  ms: (values, stat) => (sampled(values) ? fixed(values[stat], 1) : "-"),
  // A counter never added to is absent from the summary: zero, not unknown.
  count: (values) => (values ? String(values.count) : "0"),
  rate: (values) => (sampled(values) ? `${fixed(values.rate * 100, 1)}%` : "-"),
  /** A counter's count, or a rate's samples, per second of `seconds`. */
  perSecond: (values, seconds) => (values && seconds > 0 ? fixed((values.passes !== undefined ? samplesOf(values) : values.count) / seconds, 1) : "-"),
};

/** A left-aligned text table. */
export const table = (head, rows) => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
};

/** One line per threshold: ok or FAILED. */
export const thresholdLines = (data) => {
  const lines = [];
  for (const [name, metric] of Object.entries(data.metrics)) {
    for (const [expression, result] of Object.entries(metric.thresholds || {})) lines.push(`${result.ok ? "ok    " : "FAILED"} ${name}: ${expression}`);
  }
  return lines.sort().join("\n");
};

/**
 * What handleSummary returns: the text on stdout and, when SUMMARY_DIR is set, the summary
 * data as `${SUMMARY_DIR}/<script>.json`.
 */
export const summaryOutputs = (script, data, text) => {
  const outputs = { stdout: `\n${script}\n${text}\n\nthresholds:\n${thresholdLines(data)}\n` };
  if (__ENV.SUMMARY_DIR) outputs[`${__ENV.SUMMARY_DIR.replace(/\/+$/, "")}/${script}.json`] = JSON.stringify(data, null, 2);
  return outputs;
};

/** The trend statistics every script asks k6 to keep (p(99) is not in k6's default list). */
export const TREND_STATS = ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)", "count"];
