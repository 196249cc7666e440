/** Nearest-rank-with-interpolation percentile (k6's p(N) convention); NaN for no values. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
};

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export const percentiles = (values: readonly number[]): Percentiles => ({
  count: values.length,
  p50: percentile(values, 50),
  p90: percentile(values, 90),
  p99: percentile(values, 99),
  max: values.reduce((max, v) => (Number.isNaN(max) || v > max ? v : max), Number.NaN),
});

/** Empirical CDF: (value, fraction of samples ≤ value), one entry per distinct value, at most `maxPoints`. */
export const cdf = (values: readonly number[], maxPoints = 200): { value: number; fraction: number }[] => {
  const sorted = [...values].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(sorted.length / maxPoints));
  const out: { value: number; fraction: number }[] = [];
  for (let i = step - 1; i < sorted.length; i += step) out.push({ value: sorted[i]!, fraction: (i + 1) / sorted.length });
  const last = sorted.at(-1);
  if (last !== undefined && out.at(-1)?.fraction !== 1) out.push({ value: last, fraction: 1 });
  return out;
};

/** Smallest and largest value without spreading (arrays of samples can exceed the argument limit). */
export const extent = (values: readonly number[]): [number, number] =>
  values.reduce<[number, number]>(([min, max], v) => [Math.min(min, v), Math.max(max, v)], [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
