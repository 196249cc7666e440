import { setTimeout as delay } from "node:timers/promises";

/**
 * Waits `ms`; resolves early, with false, when `signal` aborts (true when the wait ran out).
 * A waiter that was told to stop has nothing more to wait for, so it is not an error here.
 */
export const sleep = async (ms: number, signal?: AbortSignal): Promise<boolean> => {
  if (signal?.aborted) return false;
  try {
    await delay(Math.max(0, ms), undefined, signal ? { signal } : undefined);
    return true;
  } catch (error) {
    if (signal?.aborted) return false;
    throw error;
  }
};
