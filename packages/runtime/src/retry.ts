import { sleep } from "./sleep.js";

/** How often, and how far apart, to try again. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Upper bound of the wait before the second attempt; it doubles per retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryOptions extends RetryPolicy {
  /**
   * Whether this failure is worth another attempt after `delayMs`; a failure that is not goes to
   * the caller at once. Told the wait, so a caller with a deadline can decline a retry that could
   * not finish in time.
   */
  retryable: (error: unknown, next: { attempt: number; delayMs: number }) => boolean;
  /** Stops retrying: no wait goes on and no attempt starts after it aborts. */
  signal?: AbortSignal | undefined;
  /** Hears each failure about to be retried (metrics, a heartbeat), before the wait. */
  onRetry?: (error: unknown, next: { attempt: number; delayMs: number }) => void | Promise<void>;
  /** The source of jitter, [0, 1); tests pass a fixed one. */
  random?: () => number;
  /** false: wait the cap itself, a fixed doubling schedule (where a caller's timing relies on it). */
  jitter?: boolean;
}

/**
 * Exponential backoff with full jitter: a uniformly random wait in [0, min(max, base · 2^retry)),
 * `retry` counting from 0, so many callers' retries spread out instead of arriving together.
 */
export const backoffDelayMs = (retry: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, random: () => number = Math.random): number =>
  Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));

/**
 * Runs `work` until it succeeds, fails with what `retryable` refuses, or `attempts` are spent;
 * then the last failure goes to the caller. Waits a jittered backoff between attempts, never
 * after the last one. When `signal` aborts, the failure seen last goes to the caller (or the
 * signal's reason, if no attempt ran): it says what went wrong, the abort only why it stopped.
 */
export const retry = async <T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> => {
  options.signal?.throwIfAborted();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= options.attempts || options.signal?.aborted) throw error;
      const next = { attempt: attempt + 1, delayMs: backoffDelayMs(attempt - 1, options, options.jitter === false ? () => 1 : options.random) };
      if (!options.retryable(error, next)) throw error;
      await options.onRetry?.(error, next);
      if (!(await sleep(next.delayMs, options.signal))) throw error;
    }
  }
};
