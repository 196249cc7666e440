import type { Logger } from "pino";

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

/**
 * On SIGTERM or SIGINT runs the steps in order (stop accepting, drain, close), each bounded
 * by a timeout, then exits. A second signal exits at once.
 */
export const onShutdown = (logger: Logger, steps: ShutdownStep[], stepTimeoutMs = 10_000): void => {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal, exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    let failed = false;
    for (const step of steps) {
      try {
        await withTimeout(step.run(), stepTimeoutMs, step.name);
        logger.info({ step: step.name }, "shutdown step done");
      } catch (error) {
        failed = true;
        logger.error({ step: step.name, err: error }, "shutdown step failed");
      }
    }
    process.exit(failed ? 1 : 0);
  };
  process.on("SIGTERM", (signal) => void stop(signal));
  process.on("SIGINT", (signal) => void stop(signal));
};

const withTimeout = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};
