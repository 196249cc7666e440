import { TimeoutError } from "@bazaar/core";

/**
 * Runs `work` bounded by `ms`: at the timeout the work's signal aborts (so it stops, instead of
 * going on unseen) and the caller gets a TimeoutError naming `what`, even from work that ignores
 * its signal. An abort of `options.signal` reaches the work's signal too, and rejects with its reason.
 */
export const withTimeout = async <T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number,
  options: { what: string; signal?: AbortSignal | undefined },
): Promise<T> => {
  const outer = options.signal;
  outer?.throwIfAborted();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(`${options.what} did not finish within ${ms} ms`);
      // Rejected first: the caller hears the timeout, not what the work makes of its abort.
      reject(error);
      controller.abort(error);
    }, ms);
    onAbort = () => {
      reject(outer!.reason as Error);
      controller.abort(outer!.reason);
    };
    outer?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) outer?.removeEventListener("abort", onAbort);
  }
};
