import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "@bazaar/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer } from "./auth.js";
import { startWholePlatform, type WholePlatform } from "./contexts.js";
import { root } from "./platform.js";

/**
 * A smoke run of every k6 scenario (loadtests/scenarios) with the bundled runner against a real
 * platform, at a low rate for a few seconds: each script loads, sets up its data through REST,
 * drives both modes, evaluates its thresholds and hands a summary with its own metrics to
 * handleSummary. No assertion on speed: that is the report's job (npm run loadtest -- report).
 */
let platform: WholePlatform;
let out: string;

beforeAll(async () => {
  platform = await startWholePlatform({ RATE_LIMIT_LIMIT: "100000000" });
  out = await mkdtemp(join(tmpdir(), "bazaar-loadtests-"));
});

afterAll(async () => {
  await platform?.stop();
  if (out) await rm(out, { recursive: true, force: true });
});

interface Summary {
  metrics: Record<string, { type: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
}

const smokes: { scenario: string; env: Record<string, string>; metrics: string[] }[] = [
  {
    scenario: "orders",
    env: { RATE: "2", DURATION: "3s", GAP: "1s", CONFIRM_BOUND: "5s" },
    metrics: ["order_ack_duration", "order_confirmed_duration", "orders_confirmed"],
  },
  {
    scenario: "rename",
    env: { FANOUT: "1", PRODUCTS: "2", RATE: "1", DURATION: "3s", STALE_BOUND: "5s", GAP: "2s" },
    metrics: ["rename_ack_duration", "rename_staleness", "renames"],
  },
  { scenario: "orderDetails", env: { RATE: "2", DURATION: "3s", GAP: "1s" }, metrics: ["order_details_duration", "answered", "degraded"] },
  {
    scenario: "storefront",
    env: { STEPS: "2,4", RAMP: "1s", HOLD: "2s", GAP: "1s" },
    metrics: ["storefront_async_step_2_duration", "storefront_sync_step_4_duration", "storefront_async_step_4_errors"],
  },
  { scenario: "faults", env: { RATE: "2", DURATION: "3s", SETTLE_BOUND: "10s" }, metrics: ["order_answer_duration", "accepted", "order_settle_duration"] },
];

describe("the k6 scenarios, smoke-run by the bundled runner", () => {
  for (const { scenario, env, metrics } of smokes) {
    it(`${scenario}: loads, drives both modes, evaluates its thresholds, summarises its metrics`, { timeout: 240_000 }, async () => {
      const summaryFile = join(out, `${scenario}.json`);
      const token = bearer.slice("Bearer ".length);
      const args = [
        scenario,
        "--quiet",
        "--summary-export",
        summaryFile,
        "-e",
        `BASE=${platform.base}`,
        "-e",
        `TOKEN=${token}`,
        ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
      ];
      const run = await runProcess(`${root}loadtests/dist/main.js`, args, {}, 200_000);
      // 0: every threshold held; 99: one was crossed (allowed at smoke rates on a busy CI box).
      expect([0, 99], run.output.slice(-3_000)).toContain(run.code);

      const summary = JSON.parse(await readFile(summaryFile, "utf8")) as Summary;
      expect(summary.metrics.iterations?.values.count).toBeGreaterThan(0);
      expect(summary.metrics.http_reqs?.values.count).toBeGreaterThan(0);
      for (const name of metrics) expect(Object.keys(summary.metrics), `metric ${name}`).toContain(name);
      const thresholds = Object.values(summary.metrics).flatMap((metric) => Object.values(metric.thresholds ?? {}));
      expect(thresholds.length).toBeGreaterThan(0);
      for (const threshold of thresholds) expect(typeof threshold.ok).toBe("boolean");
      // A crossed threshold is what exit 99 reports, and only that.
      expect(run.code === 99).toBe(thresholds.some((threshold) => !threshold.ok));
    });
  }
});
