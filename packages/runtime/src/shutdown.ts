import type { Logger } from "pino";
import { withTimeout } from "./withTimeout.js";

export interface ShutdownStep {
  name: string;
  /** `signal` aborts when the step's time is up: the step may stop what it still does. */
  run: (signal: AbortSignal) => Promise<unknown>;
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
        await withTimeout((signal) => step.run(signal), stepTimeoutMs, { what: step.name });
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
