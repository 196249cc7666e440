import type { RelayPass } from "./relay.js";

/** How long a relay waits between passes. */
export interface RelayBackoff {
  /** Takes a pass's outcome into account. */
  after(pass: RelayPass): void;
  /** The wait before the next pass. */
  delayMs: () => number;
}

/**
 * A relay that finds nothing to do waits twice as long before each next pass, up to
 * `maxIntervalMs`; a pass that finds a pending row (stale or not) brings it back to `intervalMs`.
 * An idle platform so stops paying a scan of every outbox shard each second, and a loaded one,
 * whose rows are seen in flight, keeps the short interval. A relay that does not hold the lease
 * finds nothing and backs off alike: it only asks for the lease, and the holder keeps it as long
 * as `maxIntervalMs` stays below the lease (createRelayBackoff's caller keeps it there).
 */
export const createRelayBackoff = (options: { intervalMs: number; maxIntervalMs: number }): RelayBackoff => {
  const { intervalMs } = options;
  const maxIntervalMs = Math.max(intervalMs, options.maxIntervalMs);
  let current = intervalMs;
  return {
    after(pass) {
      const foundNothing = pass.pending === 0 && pass.republished === 0;
      current = foundNothing ? Math.min(maxIntervalMs, current * 2) : intervalMs;
    },
    delayMs: () => current,
  };
};
