/** A task started by startPeriodic. */
export interface Periodic {
  /** No tick starts after this; resolves once the tick running now (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `tick` at once and again `intervalMs` after each tick ends: never two at a time, however
 * long one takes. A tick's failure goes to `onError` and the next tick runs as usual. An
 * `intervalMs` function is asked after each tick, so a task can slow down while it finds nothing.
 */
export const startPeriodic = (tick: () => Promise<unknown>, options: { intervalMs: number | (() => number); onError?: (error: unknown) => void }): Periodic => {
  const { intervalMs } = options;
  const nextDelayMs = typeof intervalMs === "function" ? intervalMs : () => intervalMs;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    if (stopped) return;
    running = (async () => {
      try {
        await tick();
      } catch (error) {
        try {
          options.onError?.(error);
        } catch {
          // A failing error handler must not end the ticks, nor make stop() throw.
        }
      }
    })().finally(() => {
      if (!stopped) timer = setTimeout(run, nextDelayMs());
    });
  };
  timer = setTimeout(run, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
