/** One sample of k6's JSON-lines output, reduced to what the report uses. */
export interface Point {
  metric: string;
  /** Epoch milliseconds. */
  time: number;
  value: number;
  tags: Record<string, string>;
}

/** Parses one line of `--out json` output; undefined for Metric declarations and anything else. */
export const parsePointLine = (line: string): Point | undefined => {
  if (!line.includes('"Point"')) return undefined;
  const parsed = JSON.parse(line) as { type?: string; metric?: string; data?: { time?: string; value?: number; tags?: Record<string, unknown> | null } };
  if (parsed.type !== "Point" || !parsed.metric || !parsed.data?.time) return undefined;
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.data.tags ?? {})) {
    if (typeof value === "string") tags[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") tags[key] = String(value);
    else if (value !== undefined && value !== null) tags[key] = JSON.stringify(value);
  }
  return { metric: parsed.metric, time: Date.parse(parsed.data.time), value: Number(parsed.data.value), tags };
};

/**
 * Each point's mode: its `mode` tag, else the mode other points of the same k6 scenario carry
 * (built-ins like `dropped_iterations` may only carry the scenario's own tags).
 */
export const modeResolver = (points: readonly Point[]): ((point: Point) => string | undefined) => {
  const modeOfScenario = new Map<string, string>();
  for (const point of points)
    if (point.tags.mode && point.tags.scenario && !modeOfScenario.has(point.tags.scenario)) modeOfScenario.set(point.tags.scenario, point.tags.mode);
  return (point) => point.tags.mode ?? (point.tags.scenario ? modeOfScenario.get(point.tags.scenario) : undefined);
};

/** Selects points of one metric whose tags include all of `where`. */
export const select = (points: readonly Point[], metric: string, where: Record<string, string> = {}, modeOf?: (point: Point) => string | undefined): Point[] =>
  points.filter(
    (point) => point.metric === metric && Object.entries(where).every(([key, value]) => (key === "mode" && modeOf ? modeOf(point) : point.tags[key]) === value),
  );
