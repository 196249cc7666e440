/**
 * A bulkhead: at most `limit` calls in flight; the excess is refused at once rather than queued,
 * so one slow service cannot absorb every request the gateway holds.
 */
export interface Bulkhead {
  /** Takes a slot, or returns false when all are in use. Every `true` must be paired with `release()`. */
  tryAcquire(): boolean;
  release(): void;
  readonly inFlight: number;
  readonly limit: number;
}

export const createBulkhead = (limit: number): Bulkhead => {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`bulkhead limit must be a positive integer, got ${limit}`);
  let inFlight = 0;
  return {
    tryAcquire() {
      if (inFlight >= limit) return false;
      inFlight += 1;
      return true;
    },
    release() {
      inFlight = Math.max(0, inFlight - 1);
    },
    get inFlight() {
      return inFlight;
    },
    limit,
  };
};
