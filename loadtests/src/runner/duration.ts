/** k6 duration values: "1m30s", "500ms", "2h", "1.5s", or a number of milliseconds. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, us: 0.001, µs: 0.001, ns: 0.000001 };
const PART = /(\d+(?:\.\d+)?)(ms|us|µs|ns|s|m|h|d)/y;

export const parseDuration = (value: unknown, what: string): number => {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === "string") {
    const text = value.trim();
    // A bare number string is taken as seconds, like k6's CLI flags ("--duration 30").
    if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
    let total = 0;
    let at = 0;
    PART.lastIndex = 0;
    while (at < text.length) {
      PART.lastIndex = at;
      const match = PART.exec(text);
      if (!match) break;
      total += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? Number.NaN);
      at = PART.lastIndex;
    }
    if (at === text.length && text.length > 0 && Number.isFinite(total)) return total;
  }
  throw new Error(`${what}: "${String(value)}" is not a duration (e.g. "30s", "1m30s", "500ms")`);
};

/** Renders milliseconds the way k6 prints durations in its summary ("1.23ms", "2.5s", "1m3s"). */
export const formatDuration = (ms: number): string => {
  if (ms < 1) return `${(ms * 1000).toFixed(2)}µs`;
  if (ms < 1000) return `${ms.toFixed(2)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${((ms - minutes * 60_000) / 1000).toFixed(1)}s`;
};
