import { ConcurrencyError } from "@bazaar/core";
import { retry, type RetryPolicy } from "./retry.js";

/** Enough for a hot stream under contention: up to 20 attempts, waits of at most 200 ms. */
export const CONFLICT_RETRY: RetryPolicy = { attempts: 20, baseDelayMs: 5, maxDelayMs: 200 };

/**
 * Runs a load-decide-append step again when another writer took the stream's next version first.
 * The step reloads each time, so the retry decides on the state that won. Bounded: the last
 * ConcurrencyError goes to the caller (gRPC ABORTED; a reaction retries it later).
 */
export const retryOnConflict = <T>(step: () => Promise<T>, policy: RetryPolicy = CONFLICT_RETRY): Promise<T> =>
  retry(() => step(), { ...policy, retryable: (error) => error instanceof ConcurrencyError });
