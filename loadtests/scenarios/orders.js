// Orders: choreography (POST /v1/orders → 202 PENDING, CONFIRMED later by events) against
// orchestration (POST /v1/orders?flow=sync → 201 CONFIRMED or 409 REJECTED, after a saga), one
// mode after the other at the same open-loop arrival rate.
//
//   k6 run loadtests/scenarios/orders.js -e BASE=http://127.0.0.1:8080 -e TOKEN=…
//
// Env: BASE, TOKEN; RATE (orders/s, default 10), DURATION (per mode, default 20s), GAP (pause
// between the modes, default 5s), CONFIRM_BOUND (how long an async order may take to show
// CONFIRMED, default 15s), POLL (first poll interval, default 50ms), POLL_MAX (the interval
// doubles up to it, default 400ms: a fixed 50 ms made the probes, not the orders, the load).
//
// Every acknowledged async order is accounted for: confirmed, rejected, or failed ("never
// confirmed"). Its bound is CONFIRM_BOUND, cut short for the last orders of the async mode so
// that its iterations end before the sync mode starts (GAP after the last arrival): they are
// counted as failed rather than interrupted uncounted, and never overlap the other mode.
import { check } from "k6";
import { Counter, Trend } from "k6/metrics";
import { bodyOf, latencyOf, post } from "./lib/api.js";
import { envNumber, envSeconds } from "./lib/env.js";
import { createShopAndClock } from "./lib/fixtures.js";
import { failureBudget, modesInTurn } from "./lib/modes.js";
import { randomOrder, followUntilSettled } from "./lib/orders.js";
import { cell, sub, summaryOutputs, table, TREND_STATS, valuesOf } from "./lib/summary.js";

const RATE = envNumber("RATE", 10);
const DURATION_S = envSeconds("DURATION", 20);
const GAP_S = envSeconds("GAP", 5);
const CONFIRM_BOUND_S = envSeconds("CONFIRM_BOUND", 15);
const POLL_S = envSeconds("POLL", 0.05);
const POLL_MAX_S = envSeconds("POLL_MAX", 0.4);
const MODES = ["async", "sync"];

const orderAck = new Trend("order_ack_duration", true);
const orderConfirmed = new Trend("order_confirmed_duration", true);
const ordersConfirmed = new Counter("orders_confirmed");
const ordersRejected = new Counter("orders_rejected");
const ordersFailed = new Counter("orders_failed");

/** At most 1 % of the iterations a mode is planned to start may fail. */
const allowedFailures = failureBudget(RATE, DURATION_S, 0.01);

/** Epoch ms by which an async iteration must be done: the start of the sync mode, less a margin. */
const asyncDeadline = (data) => data.t0 + (DURATION_S + GAP_S) * 1000 - 500;

const perMode = (make) => Object.fromEntries(MODES.flatMap((mode) => make(mode)));

export const options = {
  scenarios: modesInTurn({
    exec: { async: "placeAsync", sync: "placeSync" },
    perSecond: RATE,
    durationS: DURATION_S,
    gapS: GAP_S,
    // An async iteration lives until its order shows CONFIRMED (or the bound): enough VUs for that.
    // The sync mode starts GAP after the async mode's last arrival; async iterations stop
    // polling just before (asyncDeadline), so none is interrupted and none overlaps it.
    limits: (mode) => ({
      preAllocatedVUs: Math.max(5, Math.ceil(RATE * 2)),
      maxVUs: Math.max(20, Math.ceil(RATE * (CONFIRM_BOUND_S + 5))),
      gracefulStopS: mode === "async" ? GAP_S : CONFIRM_BOUND_S,
    }),
  }),
  thresholds: {
    checks: ["rate>0.95"],
    ...perMode((mode) => [
      [sub("http_req_failed", { mode }), ["rate<0.01"]],
      // The acknowledgement is what a caller waits for: sync includes the whole saga.
      [sub("order_ack_duration", { mode }), [mode === "async" ? "p(99)<1000" : "p(99)<3000"]],
      [sub("order_confirmed_duration", { mode }), ["p(99)<5000"]],
      [sub("orders_failed", { mode }), [`count<=${allowedFailures}`]],
      [sub("orders_confirmed", { mode }), ["count>0"]],
      // Stock is generous: a rejection means something other than the load went wrong.
      [sub("orders_rejected", { mode }), [`count<=${allowedFailures}`]],
      [sub("dropped_iterations", { scenario: mode }), [`count<=${allowedFailures}`]],
    ]),
  },
  summaryTrendStats: TREND_STATS,
  setupTimeout: "120s",
};

export async function setup() {
  // Stock for far more orders than a run places: a rejection here would mean something broke.
  return createShopAndClock({ prefix: "orders", productCount: 5, customerCount: 10, stock: 1000000 });
}

/** Choreography: 202 PENDING, then poll the order until the events have CONFIRMED it. */
export async function placeAsync(data) {
  const tags = { mode: "async" };
  const sentAt = Date.now();
  const res = await post("/v1/orders", randomOrder(data), { tags: { ...tags, op: "place", name: "POST /v1/orders" }, expected: [202] });
  const order = bodyOf(res);
  const accepted = check(res, { "async order: 202 PENDING": (r) => r.status === 202 && order !== null && order.status === "PENDING" });
  if (!accepted) {
    ordersFailed.add(1, { ...tags, reason: `status ${res.status}` });
    return;
  }
  orderAck.add(latencyOf(res), tags);
  const status = await followUntilSettled(order.id, tags, {
    intervalS: POLL_S,
    maxIntervalS: POLL_MAX_S,
    timeoutS: Math.max(0, Math.min(CONFIRM_BOUND_S, (asyncDeadline(data) - Date.now()) / 1000)),
  });
  if (status === "CONFIRMED") {
    orderConfirmed.add(Date.now() - sentAt, tags);
    ordersConfirmed.add(1, tags);
  } else if (status === "REJECTED") {
    ordersRejected.add(1, tags);
  } else {
    ordersFailed.add(1, { ...tags, reason: "never confirmed" });
  }
}

/** Orchestration: the saga answers 201 CONFIRMED or 409 REJECTED; 201 means confirmed, so both durations are the ack. */
export async function placeSync(data) {
  const tags = { mode: "sync" };
  const res = await post("/v1/orders?flow=sync", randomOrder(data), {
    tags: { ...tags, op: "place", name: "POST /v1/orders?flow=sync" },
    expected: [201, 409],
  });
  const body = bodyOf(res);
  check(res, { "sync order: 201 CONFIRMED or 409 REJECTED": (r) => (r.status === 201 && body !== null && body.status === "CONFIRMED") || r.status === 409 });
  if (res.status === 201) {
    orderAck.add(latencyOf(res), tags);
    orderConfirmed.add(latencyOf(res), tags);
    ordersConfirmed.add(1, tags);
  } else if (res.status === 409) {
    orderAck.add(latencyOf(res), tags);
    ordersRejected.add(1, tags);
  } else {
    ordersFailed.add(1, { ...tags, reason: `status ${res.status}` });
  }
}

export function handleSummary(data) {
  const rows = MODES.map((mode) => {
    const ack = valuesOf(data, sub("order_ack_duration", { mode }));
    const confirmed = valuesOf(data, sub("order_confirmed_duration", { mode }));
    return [
      mode,
      cell.ms(ack, "med"),
      cell.ms(ack, "p(99)"),
      cell.ms(confirmed, "med"),
      cell.ms(confirmed, "p(99)"),
      cell.perSecond(valuesOf(data, sub("orders_confirmed", { mode })), DURATION_S),
      cell.count(valuesOf(data, sub("orders_confirmed", { mode }))),
      cell.count(valuesOf(data, sub("orders_rejected", { mode }))),
      cell.count(valuesOf(data, sub("orders_failed", { mode }))),
      cell.count(valuesOf(data, sub("dropped_iterations", { scenario: mode }))),
    ];
  });
  const asyncAck = valuesOf(data, sub("order_ack_duration", { mode: "async" }));
  const syncAck = valuesOf(data, sub("order_ack_duration", { mode: "sync" }));
  const ratio = asyncAck && syncAck && syncAck.med > 0 ? asyncAck.med / syncAck.med : NaN;
  const text = [
    `${RATE} orders/s, ${DURATION_S} s per mode`,
    table(["mode", "ack p50 ms", "ack p99 ms", "confirmed p50 ms", "confirmed p99 ms", "confirmed/s", "confirmed", "rejected", "failed", "dropped"], rows),
    `async ack p50 / sync ack p50 = ${Number.isNaN(ratio) ? "-" : ratio.toFixed(2)} (issue #8 target: ≤ 0.5 at 50 % of the async knee)`,
  ].join("\n");
  return summaryOutputs("orders", data, text);
}
