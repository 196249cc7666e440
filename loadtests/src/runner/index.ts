/** The k6-compatible runner: runs loadtests/scenarios/*.js (k6 scripts) on Node without k6. */
export { runCli } from "./cli.js";
export { parseCliArgs, resolveScript, USAGE } from "./cliArgs.js";
export { runTest, type RunConfig, type RunResult } from "./run.js";
export { ExitCode, RunnerError } from "./exitCodes.js";
export type { SummaryData, SummaryMetric } from "./summary.js";
export { findUnsupportedImports, listImports } from "./importScan.js";
export { SUPPORTED_MODULES, UnsupportedModuleError } from "./supportedModules.js";
