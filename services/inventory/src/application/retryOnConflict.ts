import { ConcurrencyError } from "@bazaar/core";

export interface RetryPolicy {
  attempts: number;
  /** Upper bound of the first backoff; it doubles per attempt up to `maxDelayMs`, fully jittered. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 20, baseDelayMs: 5, maxDelayMs: 200 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a load-decide-append step again when another writer took the stream's next version first.
 * The step reloads each time, so the retry decides on the state that won. Bounded: the last
 * ConcurrencyError goes to the caller (gRPC ABORTED; a reaction retries it later).
 */
export const retryOnConflict = async <T>(step: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= policy.attempts) throw error;
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.random() * cap);
    }
  }
};
