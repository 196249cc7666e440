import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { isFileImport, isSupportedModule, UnsupportedModuleError } from "./supportedModules.js";

/** Blanks comments and string contents' line structure is irrelevant here; strips comments only. */
const stripComments = (source: string): string => source.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");

const STATIC_IMPORT = /(?:^|[;\s])(?:import|export)\s*(?:[\w*${}\s,]*?\s*from\s*)?["']([^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g;

/** The module specifiers an ES module's source imports (static, re-exports and literal dynamic imports). */
export const listImports = (source: string): string[] => {
  const code = stripComments(source);
  const found = new Set<string>();
  for (const pattern of [STATIC_IMPORT, DYNAMIC_IMPORT]) {
    for (const match of code.matchAll(pattern)) if (match[1]) found.add(match[1]);
  }
  return [...found];
};

/**
 * Reads a script and the relative files it imports, without running them, and returns every
 * import this runner would refuse (an empty list: the script only uses supported modules).
 */
export const findUnsupportedImports = async (scriptPath: string, visited = new Set<string>()): Promise<UnsupportedModuleError[]> => {
  const path = resolve(scriptPath);
  if (visited.has(path)) return [];
  visited.add(path);
  const problems: UnsupportedModuleError[] = [];
  for (const specifier of listImports(await readFile(path, "utf8"))) {
    if (isSupportedModule(specifier)) continue;
    if (isFileImport(specifier) && !specifier.startsWith("file:")) problems.push(...(await findUnsupportedImports(resolve(dirname(path), specifier), visited)));
    else problems.push(new UnsupportedModuleError(specifier, path));
  }
  return problems;
};
