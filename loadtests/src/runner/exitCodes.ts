/** The exit codes k6 uses, so scripts and CI treat this runner's results the same way. */
export const ExitCode = {
  ok: 0,
  generic: 1,
  thresholdsFailed: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  invalidConfig: 104,
  externalAbort: 105,
  scriptException: 107,
  scriptAborted: 108,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure that ends the run with a specific exit code (e.g. an invalid option → 104). */
export class RunnerError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RunnerError";
  }
}
