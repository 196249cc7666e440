import type { ContextStorage, Phase } from "./context.js";
import { ExitCode, RunnerError } from "./exitCodes.js";

/** Runs setup() or teardown() in its own context (group `::setup` / `::teardown`, __VU 0), bounded by its timeout. */
export const runLifecycleFunction = async (options: {
  contexts: ContextStorage;
  phase: Extract<Phase, "setup" | "teardown">;
  fn: (data?: unknown) => unknown;
  data?: unknown;
  env: Record<string, string>;
  timeoutMs: number;
}): Promise<unknown> => {
  const { contexts, phase, fn, data, env, timeoutMs } = options;
  const interruption = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      interruption.abort();
      reject(
        new RunnerError(
          `${phase}() did not finish within ${timeoutMs} ms (options.${phase}Timeout)`,
          phase === "setup" ? ExitCode.setupTimeout : ExitCode.teardownTimeout,
        ),
      );
    }, timeoutMs);
  });
  const context = { phase, env, iteration: 0, iterationInScenario: 0, group: `::${phase}`, signal: interruption.signal };
  try {
    return await Promise.race([contexts.run(context, async () => fn(data)), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** setup()'s data goes to the VUs as JSON, as in k6 (functions, Dates, undefined fields do not survive). */
export const roundTripJson = (value: unknown): unknown => (value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown));
