import { describe, expect, it } from "vitest";
import { ExitCode } from "./exitCodes.js";
import { runScript } from "./testing/testKit.js";

const OK_OPTIONS = `export const options = { scenarios: { s: { executor: "constant-vus", vus: 1, duration: "50ms" } } };`;

describe("loading a script", () => {
  for (const module of ["k6/ws", "https://jslib.k6.io/k6-utils/1.4.0/index.js", "k6/experimental/browser", "node:fs"]) {
    it(`refuses an import of ${module}, naming it and the supported modules`, { timeout: 10_000 }, async () => {
      const run = await runScript(`import x from "${module}";\n${OK_OPTIONS}\nexport default function () {}`);
      expect(run.exitCode).toBe(ExitCode.scriptException);
      expect(run.stderr).toContain(`unsupported module "${module}"`);
      expect(run.stderr).toContain("supports only k6, k6/http, k6/metrics, k6/execution");
    });
  }

  it("refuses an unsupported import in a helper file the script imports", { timeout: 10_000 }, async () => {
    const flat = await runScript(`import { x } from "./helper.js";\n${OK_OPTIONS}\nexport default function () {}`, {
      files: { "helper.js": `import ws from "k6/ws";\nexport const x = 1;` },
    });
    expect(flat.exitCode).toBe(ExitCode.scriptException);
    expect(flat.stderr).toMatch(/unsupported module "k6\/ws" imported by file:.*helper\.js/);
  });

  it("loads relative helper files with the same k6 modules; __ENV has only the given values", { timeout: 10_000 }, async () => {
    process.env.RUNNER_TEST_SECRET = "leaked";
    try {
      const run = await runScript(`import { note } from "./helper.js";\n${OK_OPTIONS}\nexport default async function () { note(); }`, {
        env: { BASE: "http://example.invalid", ONLY: "this" },
        files: {
          "helper.js": `import { Counter } from "k6/metrics";\nconst env = new Counter("env");\nexport const note = () => env.add(1, { keys: Object.keys(__ENV).sort().join(","), vu: String(__VU) });`,
        },
      });
      expect(run.exitCode).toBe(0);
      const tags = run.lines.find((line) => line.metric === "env" && line.type === "Point")?.data.tags;
      expect(tags).toMatchObject({ keys: "BASE,ONLY", vu: "1" });
    } finally {
      delete process.env.RUNNER_TEST_SECRET;
    }
  });

  it("each run evaluates its own copy of the script (module state does not leak between runs)", { timeout: 10_000 }, async () => {
    const source = `import { Counter } from "k6/metrics";\nconst c = new Counter("evaluations");\nlet iterations = 0;\n${OK_OPTIONS}\nexport default async function () { iterations += 1; if (iterations === 1) c.add(1); }`;
    const first = await runScript(source);
    const second = await runScript(source);
    expect(first.summary?.metrics.evaluations?.values.count).toBe(1);
    expect(second.summary?.metrics.evaluations?.values.count).toBe(1);
  });

  it("fails on an unknown executor, naming it and the supported ones", { timeout: 10_000 }, async () => {
    const run = await runScript(
      `export const options = { scenarios: { s: { executor: "per-vu-iterations", vus: 1, iterations: 1 } } };\nexport default function () {}`,
    );
    expect(run.exitCode).toBe(ExitCode.invalidConfig);
    expect(run.stderr).toMatch(
      /scenario "s": executor "per-vu-iterations" is not supported \(supported: constant-arrival-rate, ramping-arrival-rate, constant-vus\)/,
    );
  });

  it("fails on unknown scenario option keys, naming them", { timeout: 10_000 }, async () => {
    const run = await runScript(
      `export const options = { scenarios: { s: { executor: "constant-arrival-rate", rate: 1, duration: "1s", preAllocatedVUs: 1, maxVus: 3, gracefullStop: "1s" } } };\nexport default function () {}`,
    );
    expect(run.exitCode).toBe(ExitCode.invalidConfig);
    expect(run.stderr).toMatch(/scenario "s" \(constant-arrival-rate\): unknown options maxVus, gracefullStop/);
  });

  it("fails when a scenario's exec function is not exported", { timeout: 10_000 }, async () => {
    const run = await runScript(
      `export const options = { scenarios: { s: { executor: "constant-vus", vus: 1, duration: "1s", exec: "missing" } } };\nexport default function () {}`,
    );
    expect(run.exitCode).toBe(ExitCode.invalidConfig);
    expect(run.stderr).toContain(`the script exports no function "missing"`);
  });

  it("an exception in setup aborts the run (no scenarios, exit ≠ 0); in an iteration it is logged and the run goes on", { timeout: 10_000 }, async () => {
    const failingSetup = await runScript(`${OK_OPTIONS}\nexport async function setup() { throw new Error("platform down"); }\nexport default function () {}`);
    expect(failingSetup.exitCode).toBe(ExitCode.scriptException);
    expect(failingSetup.stderr).toContain("setup() failed: Error: platform down");
    expect(failingSetup.summary).toBeUndefined();

    const failingIterations = await runScript(
      `export const options = { scenarios: { s: { executor: "constant-vus", vus: 2, duration: "200ms" } } };\nexport default async function () { throw new Error("boom " + __ITER); }`,
    );
    expect(failingIterations.exitCode).toBe(0);
    expect(failingIterations.summary?.metrics.iterations?.values.count).toBeGreaterThan(10);
    // Rate-limited: the first error per message is printed, the rest counted.
    expect(failingIterations.stderr.split("\n").filter((line) => line.startsWith("ERROR")).length).toBeLessThan(10);
  });

  it("group() refuses an async callback", { timeout: 10_000 }, async () => {
    const run = await runScript(
      `import { group } from "k6";\nimport { Counter } from "k6/metrics";\nconst errors = new Counter("errors");\n${OK_OPTIONS}\nexport default async function () { try { group("g", async () => {}); } catch (error) { errors.add(1, { message: error.message }); } }`,
    );
    expect(run.lines.find((line) => line.metric === "errors" && line.type === "Point")?.data.tags?.message).toBe(
      "group() with an async function is not supported",
    );
  });
});
