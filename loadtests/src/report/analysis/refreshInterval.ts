/** Reads `refresh_interval: "1s"` (or "500ms") out of a projection's source; undefined if absent or disabled. */
export const parseRefreshInterval = (source: string): number | undefined => {
  const match = /refresh_interval:\s*["'](\d+(?:\.\d+)?)(ms|s|m)["']/.exec(source);
  if (!match) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000 }[match[2] as "ms" | "s" | "m"];
  return Number(match[1]) * unit;
};
