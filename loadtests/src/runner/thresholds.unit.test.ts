import { describe, expect, it } from "vitest";
import { ExitCode } from "./exitCodes.js";
import { MetricRegistry } from "./metrics/registry.js";
import { compileThresholds, evaluateThresholds } from "./thresholds.js";
import { runScript } from "./testing/testKit.js";

const definitions = (entries: Record<string, string[]>) =>
  new Map(Object.entries(entries).map(([key, list]) => [key, list.map((expression) => ({ expression, abortOnFail: false, delayAbortEvalMs: 0 }))]));

describe("thresholds", () => {
  it("evaluates k6 aggregations per metric type, on sub-metrics too", () => {
    const registry = new MetricRegistry();
    const duration = registry.define("http_req_duration", "trend", "time");
    const failed = registry.define("http_req_failed", "rate");
    const reqs = registry.define("http_reqs", "counter");
    const thresholds = compileThresholds(
      definitions({
        http_req_duration: ["p(99)<500", "avg<90", "max<=200", "min>0", "med<60"],
        "http_req_duration{mode:sync}": ["p(90)<100"],
        http_req_failed: ["rate<0.5"],
        http_reqs: ["count>=3", "rate>1"],
      }),
      registry,
    );
    for (const [value, mode] of [
      [40, "async"],
      [50, "async"],
      [200, "sync"],
    ] as const) {
      registry.push(duration, value, { mode });
      registry.push(reqs, 1, { mode });
      registry.push(failed, mode === "sync" ? 1 : 0, { mode });
    }
    const crossed = evaluateThresholds(thresholds, 1000);
    expect(crossed.map((threshold) => `${threshold.selectorKey} ${threshold.expression}`)).toEqual([
      "http_req_duration avg<90",
      "http_req_duration{mode:sync} p(90)<100",
    ]);
  });

  it("fails at load on unknown metrics, bad expressions and aggregations that do not fit the type", () => {
    const registry = new MetricRegistry();
    registry.define("checks", "rate");
    expect(() => compileThresholds(definitions({ nope: ["count>0"] }), registry)).toThrow(/no metric named "nope"/);
    expect(() => compileThresholds(definitions({ checks: ["p(99)<1"] }), registry)).toThrow(/"p\(99\)" does not apply to checks, a rate metric/);
    expect(() => compileThresholds(definitions({ checks: ["rate is high"] }), registry)).toThrow(/is not "<aggregation> <operator> <number>"/);
  });

  it("a crossed threshold ends the run with exit code 99 and ok=false in the summary, sub-metrics named metric{tag:value}", { timeout: 10_000 }, async () => {
    const run = await runScript(`
import { check } from "k6";
import { Trend } from "k6/metrics";
const work = new Trend("work_ms", true);
export const options = {
  scenarios: { s: { executor: "constant-vus", vus: 1, duration: "200ms", tags: { mode: "local" } } },
  thresholds: {
    checks: ["rate>0.99"],
    "work_ms{mode:local}": ["max<1000"],
    "work_ms{mode:other}": ["max>0"],
  },
};
export default async function () {
  work.add(5);
  check(1, { "always true": (v) => v === 1, "sometimes false": () => __ITER % 2 === 0 });
}
`);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.exitCode).toBe(ExitCode.thresholdsFailed);
    const metrics = run.summary?.metrics ?? {};
    expect(metrics.checks?.thresholds).toEqual({ "rate>0.99": { ok: false } });
    expect(metrics["work_ms{mode:local}"]?.thresholds).toEqual({ "max<1000": { ok: true } });
    expect(metrics["work_ms{mode:local}"]?.values.max).toBe(5);
    expect(metrics["work_ms{mode:other}"]).toMatchObject({ type: "trend", contains: "time", thresholds: { "max>0": { ok: false } } });
    expect(run.stderr).toMatch(/threshold crossed: checks: rate>0.99/);
  });

  it("all thresholds passing → exit 0", { timeout: 10_000 }, async () => {
    const run = await runScript(`
import { Counter } from "k6/metrics";
const done = new Counter("done");
export const options = { scenarios: { s: { executor: "constant-vus", vus: 2, duration: "200ms" } }, thresholds: { done: ["count>0"], iterations: ["count>1"] } };
export default async function () { done.add(1); }
`);
    expect(run.exitCode).toBe(0);
    expect(run.summary?.metrics.done?.thresholds).toEqual({ "count>0": { ok: true } });
  });

  it("abortOnFail stops the scenarios early with exit 99", { timeout: 10_000 }, async () => {
    const startedAt = Date.now();
    const run = await runScript(`
import { Rate } from "k6/metrics";
const good = new Rate("good");
import { sleep } from "k6";
export const options = {
  scenarios: { s: { executor: "constant-vus", vus: 1, duration: "30s", gracefulStop: "0s" } },
  thresholds: { good: [{ threshold: "rate>0.5", abortOnFail: true }] },
};
export default async function () { good.add(false); await sleep(0.05); }
`);
    expect(run.exitCode).toBe(ExitCode.thresholdsFailed);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(run.stderr).toMatch(/run aborted: threshold good: rate>0.5 crossed/);
  });
});
