/** A task started by startPeriodic. */
export interface Periodic {
  /** No tick starts after this; resolves once the tick running now (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `tick` at once and again `intervalMs` after each tick ends: never two at a time, however
 * long one takes. A tick's failure goes to `onError` and the next tick runs as usual.
 */
export const startPeriodic = (tick: () => Promise<unknown>, options: { intervalMs: number; onError?: (error: unknown) => void }): Periodic => {
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
      if (!stopped) timer = setTimeout(run, options.intervalMs);
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
