import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cumulativePerSecond, runScript, startEchoServer, type EchoServer } from "./testing/testKit.js";

/*
 * Rates are judged on cumulative starts at each second boundary (±5 %), measured from the first
 * scheduled start: iteration 0 of an arrival-rate scenario starts at its t = 0.
 */
const expectWithin = (actual: number, expected: number, fraction: number, slack = 1): void => {
  expect(actual).toBeGreaterThanOrEqual(Math.floor(expected * (1 - fraction)) - slack);
  expect(actual).toBeLessThanOrEqual(Math.ceil(expected * (1 + fraction)) + slack);
};

let server: EchoServer;
beforeAll(async () => {
  server = await startEchoServer();
});
afterAll(async () => {
  await server.close();
});

const arrivalScript = (scenario: string, delayMs = 0): string => `
import http from "k6/http";
import { Counter } from "k6/metrics";
const started = new Counter("started");
export const options = { scenarios: { s: ${scenario} } };
export default async function () {
  started.add(1);
  await http.get(__ENV.BASE + "/work?delay=${delayMs}");
}
`;

describe("constant-arrival-rate", () => {
  it("starts 50 iterations/s for 4 s (±5 % at every second)", { timeout: 20_000 }, async () => {
    const run = await runScript(
      arrivalScript(`{ executor: "constant-arrival-rate", rate: 50, timeUnit: "1s", duration: "4s", preAllocatedVUs: 5, maxVUs: 20 }`),
      { env: { BASE: server.url } },
    );
    expect(run.exitCode).toBe(0);
    const starts = run.pointTimes("started");
    const origin = Math.min(...starts);
    cumulativePerSecond(starts, origin, 4).forEach((count, second) => expectWithin(count, 50 * (second + 1), 0.05));
    expectWithin(run.summary?.metrics.iterations?.values.count ?? 0, 200, 0.05);
    expect(run.summary?.metrics.dropped_iterations).toBeUndefined();
  });

  it("is open-loop: against a 300 ms server the arrivals hold, and without enough VUs the excess is dropped", { timeout: 20_000 }, async () => {
    const run = await runScript(arrivalScript(`{ executor: "constant-arrival-rate", rate: 40, duration: "3s", preAllocatedVUs: 2, maxVUs: 5 }`, 300), {
      env: { BASE: server.url },
    });
    expect(run.exitCode).toBe(0);
    const arrivals = [...run.pointTimes("started"), ...run.pointTimes("dropped_iterations")];
    const origin = Math.min(...arrivals);
    cumulativePerSecond(arrivals, origin, 3).forEach((count, second) => expectWithin(count, 40 * (second + 1), 0.05));
    // 5 VUs × ~3.3 busy seconds / 0.3 s can run at most ~60 of the 120 iterations.
    const dropped = run.summary?.metrics.dropped_iterations?.values.count ?? 0;
    expect(dropped).toBeGreaterThanOrEqual(50);
    expect(run.summary?.metrics.vus_max?.values.max).toBe(5);
    expect(run.pointTimes("dropped_iterations")).toHaveLength(dropped);
  });

  it("with enough VUs a slow server does not slow the arrivals (iterations overlap)", { timeout: 20_000 }, async () => {
    const before = server.maxConcurrent;
    server.maxConcurrent = 0;
    const run = await runScript(arrivalScript(`{ executor: "constant-arrival-rate", rate: 40, duration: "3s", preAllocatedVUs: 2, maxVUs: 30 }`, 300), {
      env: { BASE: server.url },
    });
    expect(run.exitCode).toBe(0);
    const starts = run.pointTimes("started");
    cumulativePerSecond(starts, Math.min(...starts), 3).forEach((count, second) => expectWithin(count, 40 * (second + 1), 0.05));
    expect(run.summary?.metrics.dropped_iterations).toBeUndefined();
    // 40/s × 0.3 s ≈ 12 requests in flight at once; a closed loop of 2 VUs would show 2.
    expect(server.maxConcurrent).toBeGreaterThanOrEqual(8);
    expect(run.summary?.metrics.vus_max?.values.max).toBeGreaterThanOrEqual(8);
    server.maxConcurrent = Math.max(before, server.maxConcurrent);
  });
});

describe("ramping-arrival-rate", () => {
  it("follows linear ramps between stage targets: starts per second match the rate's integral (±5 %)", { timeout: 20_000 }, async () => {
    const run = await runScript(
      arrivalScript(
        `{ executor: "ramping-arrival-rate", startRate: 20, timeUnit: "1s", preAllocatedVUs: 5, maxVUs: 30, stages: [{ target: 100, duration: "2s" }, { target: 100, duration: "2s" }] }`,
      ),
      { env: { BASE: server.url } },
    );
    expect(run.exitCode).toBe(0);
    const starts = run.pointTimes("started");
    // rate(t) = 20 + 40t for 2 s, then 100/s: ∫ = 40, 120, 220, 320 at t = 1..4 s.
    const expected = [40, 120, 220, 320];
    cumulativePerSecond(starts, Math.min(...starts), 4).forEach((count, second) => expectWithin(count, expected[second]!, 0.05));
  });
});

describe("constant-vus", () => {
  it("keeps N VUs running iterations back to back for the duration", { timeout: 20_000 }, async () => {
    const run = await runScript(
      `
import { sleep } from "k6";
import { Gauge, Counter } from "k6/metrics";
import exec from "k6/execution";
const concurrent = new Gauge("concurrent");
const byVu = new Counter("by_vu");
let running = 0;
export const options = { scenarios: { closed: { executor: "constant-vus", vus: 5, duration: "1.5s" } } };
export default async function () {
  running += 1;
  concurrent.add(running);
  byVu.add(1, { vu: String(exec.vu.idInTest), iter: String(__ITER) });
  await sleep(0.05);
  running -= 1;
}
`,
    );
    expect(run.exitCode).toBe(0);
    expect(run.summary?.metrics.concurrent?.values.max).toBe(5);
    const vuIds = new Set(run.lines.filter((line) => line.metric === "by_vu" && line.type === "Point").map((line) => line.data.tags?.vu));
    expect([...vuIds].sort()).toEqual(["1", "2", "3", "4", "5"]);
    const iterations = run.summary?.metrics.iterations?.values.count ?? 0;
    // 5 VUs × 1.5 s / 50 ms: never more than 150; back to back means well over a fifth of that.
    expect(iterations).toBeLessThanOrEqual(155);
    expect(iterations).toBeGreaterThanOrEqual(30);
    expect(run.summary?.metrics.vus?.values.max).toBe(5);
  });
});
