// One way to wait for eventual consistency: ask, sleep, ask again, until a bound.
import { sleep } from "k6";

/**
 * Calls `probe` until it returns something truthy or `timeoutS` passes, sleeping `intervalS`
 * between calls (`maxIntervalS` makes the interval double up to it: a backoff for long waits).
 * Resolves the probe's value, or null when the bound passed.
 */
export const pollUntil = async (probe, { intervalS, timeoutS, maxIntervalS }) => {
  const deadline = Date.now() + timeoutS * 1000;
  let interval = intervalS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await sleep(Math.min(interval, left / 1000));
    if (maxIntervalS) interval = Math.min(maxIntervalS, interval * 2);
  }
};
