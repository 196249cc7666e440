/**
 * Fault injection for crash tests: `BAZAAR_CRASH_AT=<point>` (or `<point>:<n>` for the n-th
 * time the point is reached) makes the process SIGKILL itself there — no cleanup, no flush,
 * exactly like a machine dying. Unset, a crash point costs one comparison.
 */
const target = process.env.BAZAAR_CRASH_AT?.split(":");
let hits = 0;

export const crashPoint = (point: string): void => {
  if (!target || target[0] !== point) return;
  hits += 1;
  if (hits >= Number(target[1] ?? 1)) process.kill(process.pid, "SIGKILL");
};
