import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseExecAt, type ExecAt } from "./execAt.js";

/** The package root (loadtests/), from this file's place in src/runner or dist/runner. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export const DEFAULT_BASE = "http://127.0.0.1:8080";

export interface CliOptions {
  readonly scriptPath: string;
  readonly env: Record<string, string>;
  readonly jsonOutputPath?: string;
  readonly summaryExportPath?: string;
  readonly execAt: ExecAt[];
  readonly quiet: boolean;
}

export const USAGE = `usage: loadtest <scenario name | script.js> [flags]
  <scenario name>            e.g. "orders" runs loadtests/scenarios/orders.js
  --rate N                   sets __ENV.RATE (the scripts' arrival-rate override)
  --duration D               sets __ENV.DURATION (e.g. 30s)
  -e, --env KEY=VALUE        sets __ENV.KEY (repeatable); defaults: BASE=${DEFAULT_BASE}, TOKEN from $TOKEN
  --out json=<file>          k6 JSON-lines output (Metric and Point lines)
  --summary-export <file>    the summary data object as JSON
  --exec-at <s>:<command>    runs "sh -c <command>" <s> seconds after setup() (repeatable)
  --quiet                    no progress lines`;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Where a bare scenario name or a path points (names resolve against the package, paths against cwd). */
export const resolveScript = (target: string, cwd: string): string => {
  const looksLikePath = target.includes("/") || target.endsWith(".js");
  if (!looksLikePath) {
    const scenario = resolve(packageRoot, "scenarios", `${target}.js`);
    if (!existsSync(scenario)) throw new UsageError(`no scenario "${target}" (looked for ${scenario})`);
    return scenario;
  }
  const path = resolve(cwd, target);
  if (!existsSync(path)) throw new UsageError(`no script at ${path}`);
  return path;
};

/** Parses the CLI's arguments; `processEnv` supplies only TOKEN (the rest of the environment stays out). */
export const parseCliArgs = (args: readonly string[], processEnv: Readonly<Record<string, string | undefined>>, cwd: string): CliOptions => {
  const [target, ...rest] = args;
  if (!target || target === "help" || target === "--help" || target === "-h") throw new UsageError(USAGE);
  const env: Record<string, string> = { BASE: DEFAULT_BASE };
  if (processEnv.TOKEN) env.TOKEN = processEnv.TOKEN;
  const execAt: ExecAt[] = [];
  let jsonOutputPath: string | undefined;
  let summaryExportPath: string | undefined;
  let quiet = false;

  for (let index = 0; index < rest.length; index += 1) {
    const flag = rest[index]!;
    const [name, inlineValue] =
      flag.startsWith("--") && flag.includes("=") && !flag.startsWith("--out=json")
        ? [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)]
        : [flag, undefined];
    const value = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const next = rest[index + 1];
      if (next === undefined) throw new UsageError(`${name} needs a value\n${USAGE}`);
      index += 1;
      return next;
    };
    switch (name) {
      case "--rate":
        env.RATE = value();
        break;
      case "--duration":
        env.DURATION = value();
        break;
      case "-e":
      case "--env": {
        const pair = value();
        const equals = pair.indexOf("=");
        if (equals <= 0) throw new UsageError(`${name} "${pair}": expected KEY=VALUE`);
        env[pair.slice(0, equals)] = pair.slice(equals + 1);
        break;
      }
      case "--out":
      case "-o": {
        const output = value();
        if (!output.startsWith("json=")) throw new UsageError(`--out "${output}": only json=<file> is supported`);
        jsonOutputPath = resolve(cwd, output.slice("json=".length));
        break;
      }
      case "--out=json":
        jsonOutputPath = resolve(cwd, flag.slice("--out=json=".length));
        break;
      case "--summary-export":
        summaryExportPath = resolve(cwd, value());
        break;
      case "--exec-at":
        try {
          execAt.push(parseExecAt(value()));
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        break;
      case "--quiet":
      case "-q":
        quiet = true;
        break;
      default:
        throw new UsageError(`unknown flag "${flag}"\n${USAGE}`);
    }
  }
  return {
    scriptPath: resolveScript(target, cwd),
    env,
    execAt,
    quiet,
    ...(jsonOutputPath ? { jsonOutputPath } : {}),
    ...(summaryExportPath ? { summaryExportPath } : {}),
  };
};
