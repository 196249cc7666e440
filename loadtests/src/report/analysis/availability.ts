import type { Point } from "./points.js";

export interface AvailabilitySecond {
  /** Seconds since `t0` (floor). */
  second: number;
  total: number;
  answered2xx: number;
  /** Percentage of requests in that second answered with a 2xx status. */
  percent: number;
}

export const is2xx = (point: Point): boolean => /^2\d\d$/.test(point.tags.status ?? "");

/** Share of requests answered 2xx, per second since `t0`, from `http_reqs` points (each one request). */
export const availabilityPerSecond = (requests: readonly Point[], t0: number): AvailabilitySecond[] => {
  const buckets = new Map<number, { total: number; ok: number }>();
  for (const request of requests) {
    const second = Math.floor((request.time - t0) / 1_000);
    const bucket = buckets.get(second) ?? { total: 0, ok: 0 };
    bucket.total += 1;
    if (is2xx(request)) bucket.ok += 1;
    buckets.set(second, bucket);
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).map(([second, { total, ok }]) => ({ second, total, answered2xx: ok, percent: (100 * ok) / total }));
};

/** Percentage of requests answered 2xx overall; NaN for none. */
export const availability = (requests: readonly Point[]): number =>
  requests.length === 0 ? Number.NaN : (100 * requests.filter(is2xx).length) / requests.length;
