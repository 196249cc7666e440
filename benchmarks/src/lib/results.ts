import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** benchmarks/results: each run's figures as JSON, git-ignored; `<name>-latest.json` is the last run. */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "results");

/** The commit measured, and whether packages/ differed from it (the build in dist/ is what ran). */
export const measuredCommit = (): string => {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: join(RESULTS_DIR, "..", ".."), encoding: "utf8" }).trim();
    return `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--", "packages").length > 0 ? " + uncommitted changes in packages/" : ""}`;
  } catch {
    return "unknown";
  }
};
const commitAtStart = measuredCommit();

export const saveResult = async (name: string, result: object): Promise<string> => {
  await mkdir(RESULTS_DIR, { recursive: true });
  console.log(`measured on commit ${commitAtStart}`);
  const stamped = join(RESULTS_DIR, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  const body = JSON.stringify({ name, at: new Date().toISOString(), commit: commitAtStart, ...result }, null, 2);
  await writeFile(stamped, body);
  await writeFile(join(RESULTS_DIR, `${name}-latest.json`), body);
  return stamped;
};

export const loadResult = async <T>(name: string): Promise<T | undefined> => {
  try {
    return JSON.parse(await readFile(join(RESULTS_DIR, `${name}-latest.json`), "utf8")) as T;
  } catch {
    return undefined;
  }
};
