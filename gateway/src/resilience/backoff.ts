/**
 * Exponential backoff with full jitter (a uniformly random wait between 0 and the exponential
 * cap): retries of many callers spread out instead of arriving at the recovering service together.
 */
export const fullJitterDelayMs = (retry: number, options: { baseMs: number; maxMs: number; random: () => number }): number =>
  Math.floor(options.random() * Math.min(options.maxMs, options.baseMs * 2 ** retry));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
