import { parseCliArgs, UsageError } from "./cliArgs.js";
import { ErrorLog } from "./errorLog.js";
import { ExitCode } from "./exitCodes.js";
import { runTest } from "./run.js";

/** `loadtest <scenario|script.js> [flags]` → the exit code (k6's codes: 99 thresholds crossed, 104 bad options, 107 script error). */
export const runCli = async (args: string[]): Promise<number> => {
  let options;
  try {
    options = parseCliArgs(args, process.env, process.cwd());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return args[0] === "help" || args[0] === "--help" || args[0] === "-h" ? ExitCode.ok : ExitCode.invalidConfig;
  }
  // A first Ctrl-C ends the scenarios (teardown and summary still run); a second one exits.
  const interrupt = new AbortController();
  const onSignal = (): void => {
    if (interrupt.signal.aborted) process.exit(ExitCode.externalAbort);
    interrupt.abort();
  };
  // A script promise nobody awaited must not kill the run; it is a script error like any other.
  const unhandled = new ErrorLog((line) => process.stderr.write(`${line}\n`));
  const onUnhandled = (reason: unknown): void => unhandled.report("unhandled promise rejection in the script (a missing await?)", reason);
  process.on("SIGINT", onSignal);
  process.on("unhandledRejection", onUnhandled);
  try {
    const result = await runTest({ ...options, externalAbort: interrupt.signal });
    return result.exitCode;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("unhandledRejection", onUnhandled);
  }
};
