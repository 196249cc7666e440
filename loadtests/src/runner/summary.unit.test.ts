import { describe, expect, it } from "vitest";
import type { SummaryData } from "./summary.js";
import { runScript, startEchoServer } from "./testing/testKit.js";

const script = (handleSummary: string) => `
import http from "k6/http";
import { check, group, sleep } from "k6";
import { Trend, Counter, Rate, Gauge } from "k6/metrics";
const ack = new Trend("ack_ms", true);
const plain = new Trend("plain");
const orders = new Counter("orders");
const ok = new Rate("ok");
const depth = new Gauge("depth");
export const options = {
  scenarios: { async: { executor: "constant-vus", vus: 1, duration: "300ms", tags: { mode: "async" }, env: { WHO: "scenario" } } },
  thresholds: { "ack_ms{mode:async}": ["p(95)<10000"] },
};
export async function setup() { return { base: __ENV.BASE, when: new Date(0), dropped: () => 1 }; }
export default async function (data) {
  const res = await http.get(data.base + "/x");
  group("orders", () => {
    group("inner", () => { check(res, { "status 200": (r) => r.status === 200 }); });
    check(res, { "never": () => false });
  });
  ack.add(res.timings.duration); plain.add(3); orders.add(2); ok.add(true); depth.add(__ITER);
  orders.add(0, { who: __ENV.WHO, dataKeys: Object.keys(data).join(","), when: String(data.when) });
  await sleep(0.01);
}
${handleSummary}
`;

describe("summary", () => {
  it("has k6's handleSummary shape; handleSummary's stdout is printed and other keys are written as files", { timeout: 10_000 }, async () => {
    const server = await startEchoServer();
    try {
      const run = await runScript(
        script(`export function handleSummary(data) {
  return { stdout: "custom summary\\n", "out/summary.json": JSON.stringify(data) };
}`),
        { env: { BASE: server.url }, collect: ["out/summary.json"] },
      );
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe("custom summary\n");
      const data = JSON.parse(run.collected["out/summary.json"] ?? "{}") as SummaryData;
      const metric = (name: string) => data.metrics[name]!;
      expect(data).toEqual(JSON.parse(JSON.stringify(run.summary)));
      expect(Object.keys(data).sort()).toEqual(["metrics", "options", "root_group", "state"]);
      expect(data.state).toMatchObject({ isStdOutTTY: false, isStdErrTTY: false });
      expect(data.state.testRunDurationMs).toBeGreaterThanOrEqual(300);
      expect(metric("ack_ms")).toMatchObject({ type: "trend", contains: "time" });
      expect(Object.keys(metric("ack_ms").values)).toEqual(["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"]);
      expect(metric("plain")).toMatchObject({ type: "trend", contains: "default", values: { avg: 3, min: 3, max: 3 } });
      expect(metric("orders").type).toBe("counter");
      expect(metric("orders").values.count).toBe(2 * (metric("iterations").values.count ?? 0));
      expect(metric("ok")).toMatchObject({ type: "rate", values: { rate: 1, fails: 0 } });
      expect(metric("depth")).toMatchObject({ type: "gauge", values: { min: 0 } });
      expect(metric("data_received").contains).toBe("data");
      expect(metric("ack_ms{mode:async}").thresholds).toEqual({ "p(95)<10000": { ok: true } });
      const orders = data.root_group.groups[0]!;
      expect(orders).toMatchObject({ name: "orders", path: "::orders", checks: [{ name: "never", path: "::orders::never", passes: 0 }] });
      expect(orders.checks[0]?.fails).toBe(metric("iterations").values.count);
      expect(orders.groups[0]).toMatchObject({ name: "inner", path: "::orders::inner", checks: [{ name: "status 200", fails: 0 }] });
      expect(data.root_group.id).toBe("d41d8cd98f00b204e9800998ecf8427e");
      // Checks are tagged with check name and group path; scenario env and JSON-round-tripped setup data reach the VU.
      const check = run.lines.find((line) => line.metric === "checks" && line.data.tags?.check === "status 200");
      expect(check?.data.tags).toMatchObject({ group: "::orders::inner", scenario: "async", mode: "async" });
      const tagged = run.lines.find((line) => line.metric === "orders" && line.data.tags?.who);
      expect(tagged?.data.tags).toMatchObject({ who: "scenario", dataKeys: "base,when", when: "1970-01-01T00:00:00.000Z" });
    } finally {
      await server.close();
    }
  });

  it("without handleSummary prints a k6-like text summary, one line per metric", { timeout: 10_000 }, async () => {
    const server = await startEchoServer();
    try {
      const run = await runScript(script(""), { env: { BASE: server.url } });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/✓ status 200/);
      expect(run.stdout).toMatch(/✗ never/);
      expect(run.stdout).toMatch(/^ {5}http_req_duration\.+: avg=[\d.]+(ms|µs) min=/m);
      expect(run.stdout).toMatch(/^ {3}✓ {3}\{ mode:async \}\.+: avg=/m);
      expect(run.stdout).toMatch(/^ {5}checks\.+: \d+\.\d\d%/m);
      expect(run.stdout).toMatch(/^ {5}iterations\.+: \d+/m);
    } finally {
      await server.close();
    }
  });
});

describe("--out json", () => {
  it("writes a Metric line before the first Point of each metric; Points carry ISO time, value and tags", { timeout: 10_000 }, async () => {
    const server = await startEchoServer();
    try {
      const run = await runScript(script(""), { env: { BASE: server.url } });
      const declared = new Set<string>();
      for (const line of run.lines) {
        if (line.type === "Metric") {
          expect(declared.has(line.metric)).toBe(false);
          declared.add(line.metric);
          expect(line.data.name).toBe(line.metric);
        } else {
          expect(declared.has(line.metric)).toBe(true);
          expect(line.data.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          expect(typeof line.data.value).toBe("number");
          expect(line.data.tags).toBeTypeOf("object");
        }
      }
      expect(run.lines.find((line) => line.type === "Metric" && line.metric === "ack_ms")?.data).toMatchObject({ type: "trend", contains: "time" });
      const points = run.lines.filter((line) => line.type === "Point" && line.metric === "http_reqs").length;
      expect(points).toBe(run.summary?.metrics.http_reqs?.values.count);
    } finally {
      await server.close();
    }
  });
});
