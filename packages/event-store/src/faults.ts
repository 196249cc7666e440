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

/**
 * Fault injection for retry tests: `BAZAAR_STALL_AT=<point>:<ms>` makes the first arrival at the
 * point wait that long — a process that hangs with work done but not yet answered, so its
 * caller times out on an outcome it never sees. Unset, a stall point costs one comparison.
 */
const stall = process.env.BAZAAR_STALL_AT?.split(":");
let stalled = false;

export const stallPoint = async (point: string): Promise<void> => {
  if (!stall || stall[0] !== point || stalled) return;
  stalled = true;
  await new Promise((resolve) => setTimeout(resolve, Number(stall[1] ?? 0)));
};
