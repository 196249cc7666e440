import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { type ContextName, repoRoot } from "@bazaar/testing";
import { faultFlags, type RunSpec } from "./plan.js";

export interface RunFiles {
  jsonl: string;
  summary: string;
  log: string;
}

export interface RunOutcome {
  spec: RunSpec;
  files: RunFiles;
  args: string[];
  exitCode: number | null;
  startedAt: number;
  endedAt: number;
}

export const runFiles = (dir: string, id: string): RunFiles => ({ jsonl: `${dir}/${id}.jsonl`, summary: `${dir}/${id}.summary.json`, log: `${dir}/${id}.log` });

/** The runner's command line for one run (without `node loadtests/dist/main.js`). */
export const runnerArgs = (
  spec: RunSpec,
  base: string,
  token: string,
  files: RunFiles,
  faultUrl: (action: "stop" | "start", context: ContextName) => string,
): string[] => [
  spec.scenario,
  "-e",
  `BASE=${base}`,
  "-e",
  `TOKEN=${token}`,
  ...Object.entries(spec.env).flatMap(([key, value]) => ["-e", `${key}=${value}`]),
  ...spec.flags,
  "--out",
  `json=${files.jsonl}`,
  "--summary-export",
  files.summary,
  ...(spec.fault ? faultFlags(spec.fault, faultUrl) : []),
];

/**
 * Runs one scenario with the bundled runner as a child process (its own CPU is sampled as the
 * load generator's), stdout and stderr into the run's log. Resolves when it exits.
 */
export const runScenario = (
  spec: RunSpec,
  args: string[],
  files: RunFiles,
  onPid: (pid: number | undefined) => void,
  timeoutMs = 45 * 60_000,
): Promise<RunOutcome> =>
  new Promise((resolve, reject) => {
    const log = createWriteStream(files.log);
    const startedAt = Date.now();
    const child = spawn(process.execPath, [`${repoRoot}loadtests/dist/main.js`, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    onPid(child.pid);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      onPid(undefined);
      log.end(signal ? `\n[report] runner ended by ${signal}\n` : "", () => resolve({ spec, files, args, exitCode: code, startedAt, endedAt: Date.now() }));
    });
  });
