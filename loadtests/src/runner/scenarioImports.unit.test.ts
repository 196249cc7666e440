import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "./cliArgs.js";
import { findUnsupportedImports, listImports } from "./importScan.js";

/** Every `*.js` directly in `dir` → the imports this runner would refuse (empty: all fine). */
const unsupportedImportsIn = async (dir: string): Promise<string[]> => {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(".js"));
  const problems = await Promise.all(files.map((name) => findUnsupportedImports(join(dir, name))));
  return problems.flat().map((problem) => problem.message);
};

describe("scenario scripts", () => {
  it("every loadtests/scenarios/*.js imports only modules this runner supports", async () => {
    expect(await unsupportedImportsIn(resolve(packageRoot, "scenarios"))).toEqual([]);
  });

  it("the check passes with no scenario files and catches a k6/ws import (also in a helper)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "k6runner-scenarios-"));
    try {
      expect(await unsupportedImportsIn(dir)).toEqual([]);
      await writeFile(join(dir, "good.js"), `import http from "k6/http";\nimport { check } from 'k6';\nexport default async function () {}`);
      expect(await unsupportedImportsIn(dir)).toEqual([]);
      await writeFile(join(dir, "helper.mjs"), `import ws from "k6/ws";\nexport const x = 1;`);
      await writeFile(join(dir, "bad.js"), `// import nothing from "k6/commented-out";\nimport { x } from "./helper.mjs";\nexport default function () {}`);
      const problems = await unsupportedImportsIn(dir);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/unsupported module "k6\/ws" imported by .*helper\.mjs/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("lists static, re-export, side-effect and literal dynamic imports, ignoring comments", () => {
    const source = `
import http from "k6/http";
import { a, b } from './a.js';
import * as all from "k6/metrics";
import "./side.js";
export { c } from "./c.js";
const later = await import("k6/execution");
/* import x from "k6/ws"; */
// import y from "k6/browser";
`;
    expect(listImports(source).sort()).toEqual(["./a.js", "./c.js", "./side.js", "k6/execution", "k6/http", "k6/metrics"]);
  });
});
