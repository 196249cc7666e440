import type { Tags } from "./registry.js";

/** `http_req_duration{scenario:async,name:"GET /x"}` → the metric name and its tag filter. */
export interface MetricSelector {
  readonly metric: string;
  readonly filter: ReadonlyArray<readonly [string, string]>;
  /** The canonical name k6 shows in the summary: `metric{tag:value,…}`. */
  readonly key: string;
}

const SELECTOR = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\{(.*)\})?\s*$/s;

const unquote = (text: string): string => {
  const trimmed = text.trim();
  const quoted = /^(["'`])(.*)\1$/s.exec(trimmed);
  return quoted ? (quoted[2] ?? "") : trimmed;
};

export const parseMetricSelector = (text: string): MetricSelector => {
  const match = SELECTOR.exec(text);
  if (!match?.[1]) throw new Error(`"${text}" is not a metric selector (metric or metric{tag:value,…})`);
  const metric = match[1];
  const body = match[2];
  if (body === undefined) return { metric, filter: [], key: metric };
  const filter = body
    .split(",")
    .filter((part) => part.trim() !== "")
    .map((part): [string, string] => {
      const colon = part.indexOf(":");
      if (colon <= 0) throw new Error(`"${text}": tag filter "${part.trim()}" is not tag:value`);
      return [unquote(part.slice(0, colon)), unquote(part.slice(colon + 1))];
    });
  if (filter.length === 0) return { metric, filter, key: metric };
  return { metric, filter, key: `${metric}{${filter.map(([tag, value]) => `${tag}:${value}`).join(",")}}` };
};

export const matchesFilter = (filter: MetricSelector["filter"], tags: Tags): boolean => filter.every(([tag, value]) => tags[tag] === value);
