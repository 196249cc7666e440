import { registerHooks } from "node:module";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { isFileImport, isSupportedModule, UnsupportedModuleError } from "./supportedModules.js";

/** A k6 module's implementation: its default export and named exports. */
export type ModuleExports = Record<string, unknown>;

/** Module implementations per run, read by the generated shim modules (see below). */
type RunModules = Map<string, Record<string, ModuleExports>>;

const REGISTRY = Symbol.for("bazaar.loadtests.k6Runner.runModules");
const HOOKS_INSTALLED = Symbol.for("bazaar.loadtests.k6Runner.hooksInstalled");
const RUN_PARAM = "k6run";
const SHIM_SCHEME = "bazaar-k6:";

/*
 * Why a process-wide table on globalThis: the script is loaded by Node's own module loader, while
 * this runner may itself be loaded by another one (vitest runs the TypeScript sources through
 * vite), so the two do not share module instances. The generated shim modules find their run's
 * implementations in this table by the run id carried in their URL.
 */
const runModules = (): RunModules => {
  const holder = globalThis as unknown as Record<symbol, RunModules | undefined>;
  holder[REGISTRY] ??= new Map<string, Record<string, ModuleExports>>();
  return holder[REGISTRY];
};

const runIdOf = (url: string | undefined): string | undefined => {
  if (!url || !(url.startsWith("file:") || url.startsWith(SHIM_SCHEME))) return undefined;
  return new URL(url).searchParams.get(RUN_PARAM) ?? undefined;
};

const withRunId = (url: string, runId: string): string => {
  const parsed = new URL(url);
  parsed.searchParams.set(RUN_PARAM, runId);
  return parsed.href;
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const shimSource = (runId: string, moduleName: string, exports: ModuleExports): string => {
  const lines = [`const m = globalThis[Symbol.for(${JSON.stringify(REGISTRY.description)})].get(${JSON.stringify(runId)})[${JSON.stringify(moduleName)}];`];
  for (const name of Object.keys(exports)) {
    if (name === "default") lines.push("export default m.default;");
    else if (IDENTIFIER.test(name)) lines.push(`export const ${name} = m[${JSON.stringify(name)}];`);
  }
  return lines.join("\n");
};

/**
 * Resolution for modules imported (directly or not) by a run's script: `k6`, `k6/http`, … become
 * shims of that run; the script's own files get the run id too (so each run evaluates its own
 * copy, with its own metrics); anything else is refused, naming the module. Imports by any other
 * code pass through untouched.
 */
const installHooks = (): void => {
  const holder = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (holder[HOOKS_INSTALLED]) return;
  holder[HOOKS_INSTALLED] = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const runId = runIdOf(context.parentURL);
      if (runId === undefined) return nextResolve(specifier, context);
      if (isSupportedModule(specifier)) return { url: `${SHIM_SCHEME}${specifier}?${RUN_PARAM}=${runId}`, shortCircuit: true };
      if (!isFileImport(specifier)) throw new UnsupportedModuleError(specifier, context.parentURL ?? "the script");
      const resolved = nextResolve(specifier, context);
      return resolved.url.startsWith("file:") ? { ...resolved, url: withRunId(resolved.url, runId) } : resolved;
    },
    load(url, context, nextLoad) {
      if (!url.startsWith(SHIM_SCHEME)) return nextLoad(url, context);
      const runId = runIdOf(url) ?? "";
      const moduleName = url.slice(SHIM_SCHEME.length, url.indexOf("?"));
      const exports = runModules().get(runId)?.[moduleName];
      if (!exports) throw new Error(`k6 runner: no implementation of "${moduleName}" for run ${runId}`);
      return { format: "module", source: shimSource(runId, moduleName, exports), shortCircuit: true };
    },
  });
};

/*
 * Node's own dynamic import. Under vitest, `import()` in this file would be rewritten to vite's
 * loader (which knows nothing of the hooks above), so there the import runs in a tiny script
 * compiled with the main context's default loader.
 */
const importNative: (url: string) => Promise<ModuleExports> = process.env.VITEST
  ? (vm.runInThisContext("(url) => import(url)", { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }) as (
      url: string,
    ) => Promise<ModuleExports>)
  : (url) => import(url) as Promise<ModuleExports>;

let nextRunId = 0;

/** A loaded script: its module namespace, plus `release()` to drop the run's module table entry. */
export interface LoadedScript {
  readonly exports: ModuleExports;
  release(): void;
}

/** Loads a k6 script with `k6*` imports bound to `modules`; refuses unsupported imports. */
export const loadScript = async (scriptPath: string, modules: Record<string, ModuleExports>): Promise<LoadedScript> => {
  installHooks();
  const runId = `${process.pid}-${++nextRunId}-${Date.now()}`;
  runModules().set(runId, modules);
  const release = (): void => {
    runModules().delete(runId);
  };
  try {
    const exports = await importNative(withRunId(pathToFileURL(scriptPath).href, runId));
    return { exports, release };
  } catch (error) {
    release();
    throw error;
  }
};
