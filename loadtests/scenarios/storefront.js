// Storefront mix to saturation: per iteration search/browse 80 % (search 40 %, product page
// 40 %), order 15 %, catalog write 5 % (create 2.5 %, change price 2.5 %), on a
// ramping-arrival-rate in steps — once with async sharing (orders flow=async), once with sync
// (flow=sync). Every request is tagged mode, op (search/get/order/write) and step (the target
// rate of the stage it started in), so the knee — the highest arrival rate whose p99 stays
// under KNEE_P99_MS — can be read per mode; handleSummary prints it from per-step trends.
//
//   k6 run loadtests/scenarios/storefront.js -e BASE=… -e TOKEN=… -e STEPS=10,20,40
//
// Env: BASE, TOKEN; STEPS (comma list of iterations/s, default 10,20,40,60,80,120); RAMP (per
// step, default 2s); HOLD (per step, default 12s); GAP (between modes, default 10s);
// KNEE_P99_MS (default 500). RATE, when given, scales the default steps so the top one is RATE;
// DURATION, when given, is how long each mode takes (RAMP and HOLD follow from it).
import { check } from "k6";
import { Rate, Trend } from "k6/metrics";
import { bodyOf, get, latencyOf, post } from "./lib/api.js";
import { duration, envNumber, envNumbers, envSeconds } from "./lib/env.js";
import { CATEGORIES, createShopAndClock, pick, WORDS } from "./lib/fixtures.js";
import { randomOrder } from "./lib/orders.js";
import { stagesLength, stepAt, stepStages } from "./lib/steps.js";
import { runToken } from "./lib/uuid.js";
import { cell, sub, summaryOutputs, table, TREND_STATS, valuesOf } from "./lib/summary.js";

const DEFAULT_STEPS = [10, 20, 40, 60, 80, 120];
const scaleTo = (top) => DEFAULT_STEPS.map((rate) => Math.max(1, Math.round((rate * top) / DEFAULT_STEPS[DEFAULT_STEPS.length - 1])));
const STEPS = envNumbers("STEPS", __ENV.RATE ? [...new Set(scaleTo(envNumber("RATE", 120)))] : DEFAULT_STEPS);
// DURATION (the runner's --duration) is the length of one mode: split over the steps, a
// quarter of each at most ramping.
const STEP_S = __ENV.DURATION ? envSeconds("DURATION", 0) / STEPS.length : null;
const RAMP_S = STEP_S ? Math.min(envSeconds("RAMP", 2), STEP_S / 4) : envSeconds("RAMP", 2);
const HOLD_S = STEP_S ? STEP_S - RAMP_S : envSeconds("HOLD", 12);
const GAP_S = envSeconds("GAP", 10);
const KNEE_P99_MS = envNumber("KNEE_P99_MS", 500);
const MODES = ["async", "sync"];
const MODE_LENGTH_S = stagesLength(STEPS, RAMP_S, HOLD_S);
const START_S = { async: 0, sync: MODE_LENGTH_S + GAP_S };

// One trend and one error rate per mode and step: k6's summary has no per-tag breakdown, and
// the knee needs each step's p99 (the report also reads the tagged points of --out json).
const stepLatency = {};
const stepErrors = {};
for (const mode of MODES) {
  for (const step of STEPS) {
    stepLatency[`${mode}:${step}`] = new Trend(`storefront_${mode}_step_${step}_duration`, true);
    stepErrors[`${mode}:${step}`] = new Rate(`storefront_${mode}_step_${step}_errors`);
  }
}

const topRate = Math.max(...STEPS);
const scenario = (mode) => ({
  executor: "ramping-arrival-rate",
  exec: mode === "async" ? "shopAsync" : "shopSync",
  startRate: 0,
  timeUnit: "1s",
  stages: stepStages(STEPS, RAMP_S, HOLD_S),
  startTime: duration(START_S[mode]),
  preAllocatedVUs: Math.max(10, Math.ceil(STEPS[0] * 2)),
  // Past the knee, requests queue: up to 5 s of the top rate in flight, then iterations drop.
  maxVUs: Math.max(50, Math.ceil(topRate * 5)),
  gracefulStop: duration(Math.min(GAP_S, 10)),
  tags: { mode },
});

export const options = {
  scenarios: { async: scenario("async"), sync: scenario("sync") },
  thresholds: {
    checks: ["rate>0.95"],
    // The first step is meant to be well below saturation in both modes.
    ...Object.fromEntries(MODES.map((mode) => [`storefront_${mode}_step_${STEPS[0]}_duration`, [`p(99)<${KNEE_P99_MS}`]])),
    ...Object.fromEntries(MODES.map((mode) => [sub("http_req_failed", { mode, step: String(STEPS[0]) }), ["rate<0.01"]])),
  },
  summaryTrendStats: TREND_STATS,
  setupTimeout: "120s",
};

export async function setup() {
  return createShopAndClock({ prefix: "store", productCount: 20, customerCount: 20, stock: 10000000 });
}

/** The step this iteration started in, from the time since setup and the stages above. */
const stepNow = (data, mode) => stepAt(STEPS, RAMP_S, HOLD_S, (Date.now() - data.t0) / 1000 - START_S[mode]);

const record = (res, ok, tags) => {
  check(res, { [`${tags.op}: ${ok.expected}`]: () => ok.pass });
  stepLatency[`${tags.mode}:${tags.step}`].add(latencyOf(res), tags);
  stepErrors[`${tags.mode}:${tags.step}`].add(!ok.pass, tags);
};

const search = async (tags) => {
  const q = pick(WORDS);
  const category = pick(CATEGORIES);
  const res = await get(`/v1/products?q=${q}&category=${category}&limit=20`, { tags: { ...tags, name: "GET /v1/products?q&category" } });
  const body = bodyOf(res);
  record(res, { expected: "200 with items", pass: res.status === 200 && body !== null && Array.isArray(body.items) }, tags);
};

const browse = async (data, tags) => {
  const product = pick(data.products);
  const res = await get(`/v1/products/${product.id}`, { tags: { ...tags, name: "GET /v1/products/{id}" } });
  const body = bodyOf(res);
  record(res, { expected: "200 with the product", pass: res.status === 200 && body !== null && body.id === product.id }, tags);
};

const order = async (data, tags) => {
  const sync = tags.mode === "sync";
  const res = await post(sync ? "/v1/orders?flow=sync" : "/v1/orders", randomOrder(data), {
    tags: { ...tags, name: sync ? "POST /v1/orders?flow=sync" : "POST /v1/orders" },
    expected: sync ? [201, 409] : [202],
  });
  record(res, sync ? { expected: "201 or 409", pass: res.status === 201 || res.status === 409 } : { expected: "202", pass: res.status === 202 }, tags);
};

const write = async (data, tags) => {
  if (Math.random() < 0.5) {
    const token = runToken();
    const spec = {
      sku: `store-new-${token}`,
      name: `store ${pick(WORDS)} ${token}`,
      category: pick(CATEGORIES),
      price: { amount: 500 + Math.floor(Math.random() * 5000), currency: "EUR" },
    };
    const res = await post("/v1/products", spec, { tags: { ...tags, name: "POST /v1/products" }, expected: [201] });
    record(res, { expected: "201", pass: res.status === 201 }, tags);
    return;
  }
  const product = pick(data.products);
  const price = { amount: 500 + Math.floor(Math.random() * 5000), currency: "EUR" };
  const res = await post(
    `/v1/products/${product.id}/change-price`,
    { price },
    { tags: { ...tags, name: "POST /v1/products/{id}/change-price" }, expected: [200] },
  );
  record(res, { expected: "200", pass: res.status === 200 }, tags);
};

const shop = async (data, mode) => {
  const base = { mode, step: String(stepNow(data, mode)) };
  const roll = Math.random();
  if (roll < 0.4) await search({ ...base, op: "search" });
  else if (roll < 0.8) await browse(data, { ...base, op: "get" });
  else if (roll < 0.95) await order(data, { ...base, op: "order" });
  else await write(data, { ...base, op: "write" });
};

export async function shopAsync(data) {
  await shop(data, "async");
}

export async function shopSync(data) {
  await shop(data, "sync");
}

/** The knee: the highest step such that it and every step below kept p99 under the bound and errors under 1 %. */
const kneeOf = (data, mode) => {
  let knee = null;
  for (const step of STEPS) {
    const latency = valuesOf(data, `storefront_${mode}_step_${step}_duration`);
    const errors = valuesOf(data, `storefront_${mode}_step_${step}_errors`);
    if (!latency || latency["p(99)"] >= KNEE_P99_MS || (errors && errors.rate >= 0.01)) break;
    knee = step;
  }
  return knee;
};

export function handleSummary(data) {
  const rows = [];
  for (const mode of MODES) {
    for (const step of STEPS) {
      const latency = valuesOf(data, `storefront_${mode}_step_${step}_duration`);
      const errors = valuesOf(data, `storefront_${mode}_step_${step}_errors`);
      rows.push([mode, step, cell.ms(latency, "med"), cell.ms(latency, "p(99)"), cell.perSecond(errors, RAMP_S + HOLD_S), cell.rate(errors)]);
    }
  }
  const knees = MODES.map((mode) => `${mode}: ${kneeOf(data, mode) === null ? "below the first step" : `${kneeOf(data, mode)} it/s`}`).join(", ");
  // Past the knee the executor runs out of VUs and drops arrivals: part of the saturation picture.
  const dropped = cell.count(valuesOf(data, "dropped_iterations"));
  const text = [
    `steps ${STEPS.join(", ")} it/s (ramp ${RAMP_S.toFixed(1)} s, hold ${HOLD_S.toFixed(1)} s each); knee bound p99 < ${KNEE_P99_MS} ms`,
    table(["mode", "step it/s", "p50 ms", "p99 ms", "req/s", "errors"], rows),
    `knee — ${knees}`,
    `dropped iterations (both modes) — ${dropped}`,
  ].join("\n");
  return summaryOutputs("storefront", data, text);
}
