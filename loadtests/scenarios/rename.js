// Rename: async (the catalog renames, ordering learns it from ProductRenamed) against
// `?propagation=sync` (a saga renames in the catalog, then ordering's copy of the product, before
// answering; the orders follow from ProductRenamed in both modes), one mode after the other at the same arrival rate, with each renamed product
// referenced by FANOUT orders. Measures the answer's latency and the staleness window: from
// the rename's 2xx until ordering's order view AND the customer's order history show the name.
//
//   k6 run loadtests/scenarios/rename.js -e BASE=… -e TOKEN=… -e FANOUT=100
//
// Env: BASE, TOKEN; FANOUT (orders per product, default 1); PRODUCTS (renamed products, default
// 8 / 4 / 2 for fan-out < 50 / < 500 / above); RATE (renames/s, may be fractional; default 5 /
// 1 / 0.1 by fan-out); DURATION (per mode, default 30s); STALE_BOUND (how long a rename may take
// to show, default 10 s + 0.1 s per order of fan-out: applying a rename touches every order);
// GAP (pause between the modes, default STALE_BOUND + 2 s, so the async renames' watches end
// before the sync mode starts); POLL (default 50ms).
import { check } from "k6";
import exec from "k6/execution";
import { Counter, Trend } from "k6/metrics";
import { bodyOf, get, latencyOf, post } from "./lib/api.js";
import { duration, envNumber, envSeconds } from "./lib/env.js";
import { createProducts, registerCustomers, restock, waitUntilOrderable } from "./lib/fixtures.js";
import { pollUntil } from "./lib/poll.js";
import { fanOutSettleSeconds, placeFanOut } from "./lib/fanOut.js";
import { failureBudget, modesInTurn } from "./lib/modes.js";
import { cell, sub, summaryOutputs, table, TREND_STATS, valuesOf } from "./lib/summary.js";

const FANOUT = envNumber("FANOUT", 1);
const PRODUCTS = envNumber("PRODUCTS", FANOUT < 50 ? 8 : FANOUT < 500 ? 4 : 2);
const RATE = envNumber("RATE", FANOUT < 50 ? 5 : FANOUT < 500 ? 1 : 0.1);
const DURATION_S = envSeconds("DURATION", 30);
const STALE_BOUND_S = envSeconds("STALE_BOUND", 10 + FANOUT * 0.1);
const GAP_S = envSeconds("GAP", STALE_BOUND_S + 2);
const POLL_S = envSeconds("POLL", 0.05);
const MODES = ["async", "sync"];

const renameAck = new Trend("rename_ack_duration", true);
const renamed = new Counter("renames");
const staleness = new Trend("rename_staleness", true);
const orderViewStaleness = new Trend("rename_staleness_order_view", true);
const historyStaleness = new Trend("rename_staleness_history", true);
const neverVisible = new Counter("rename_never_visible");
const superseded = new Counter("rename_superseded");
const renameConflicts = new Counter("rename_conflicts");
const renameFailed = new Counter("rename_failed");

/** At most 5 % of the iterations a mode is planned to start may fail. */
const allowed = failureBudget(RATE, DURATION_S, 0.05);

/**
 * Epoch ms by which a rename's watch must end: the end of its mode's graceful stop, less a
 * margin. With the default GAP this never cuts a watch short; with a shorter one, the last
 * renames count as never visible instead of being interrupted uncounted.
 */
const watchDeadline = (data, mode) => data.t0 + ((mode === "async" ? 0 : DURATION_S + GAP_S) + DURATION_S + GAP_S) * 1000 - 500;

export const options = {
  scenarios: modesInTurn({
    exec: { async: "renameAsync", sync: "renameSync" },
    perSecond: RATE,
    durationS: DURATION_S,
    gapS: GAP_S,
    limits: () => ({ preAllocatedVUs: Math.max(2, Math.ceil(RATE * 2)), maxVUs: Math.max(10, Math.ceil(RATE * (STALE_BOUND_S + 10))), gracefulStopS: GAP_S }),
    tags: { fanout: String(FANOUT) },
  }),
  thresholds: {
    checks: ["rate>0.95"],
    ...Object.fromEntries(
      MODES.flatMap((mode) => [
        [sub("http_req_failed", { mode }), ["rate<0.01"]],
        [sub("rename_ack_duration", { mode }), [mode === "async" ? "p(99)<1000" : "p(99)<10000"]],
        [sub("rename_staleness", { mode }), ["p(99)<5000"]],
        // Issue #8: async staleness (order view shows a rename) p99 ≤ the index refresh interval
        // (1 s, the projections' refresh_interval) + 300 ms, at 50 % of the knee.
        [sub("rename_staleness_order_view", { mode }), [mode === "async" ? "p(99)<1300" : "p(99)<5000"]],
        [sub("rename_staleness_history", { mode }), ["p(99)<5000"]],
        [sub("renames", { mode }), ["count>0"]],
        [sub("rename_never_visible", { mode }), ["count==0"]],
        [sub("rename_failed", { mode }), [`count<=${allowed}`]],
        [sub("rename_conflicts", { mode }), [`count<=${allowed}`]],
        [sub("dropped_iterations", { scenario: mode }), [`count<=${allowed}`]],
      ]),
    ),
  },
  summaryTrendStats: TREND_STATS,
  // Setup places FANOUT orders per product (~0.05 s each) and waits until they are all CONFIRMED.
  setupTimeout: duration(60 + PRODUCTS * FANOUT * 0.05 + fanOutSettleSeconds(PRODUCTS, FANOUT)),
};

export async function setup() {
  const products = await createProducts(PRODUCTS, "rename");
  await restock(products, FANOUT * 2 + 100);
  // ≤ 100 orders per customer: the probe order is then on its customer's first history page.
  const customersPerProduct = Math.ceil(FANOUT / 100);
  const customers = await registerCustomers(PRODUCTS * customersPerProduct + 1, "rename");
  await waitUntilOrderable(products, customers[customers.length - 1]);
  const probes = await placeFanOut(products, customers, customersPerProduct, FANOUT);
  return { t0: Date.now(), products: probes };
}

/** A name unique to this rename that says when it was sent: `<base> r<epoch ms>-<vu>`. */
const freshName = (product) => `${product.baseName} r${Date.now()}-${exec.vu.idInTest}`;
const sentAtOf = (name) => {
  const match = / r(\d+)-\d+$/.exec(name || "");
  return match ? Number(match[1]) : -1;
};

/**
 * Whether a shown name has caught up with ours: it is ours, or one sent after ours (two renames
 * of a product may overlap; ordering keeps the newest, so ours may never be shown by itself).
 */
const caughtUp = (shown, ours) => shown === ours || sentAtOf(shown) > sentAtOf(ours);

const nameIn = (order, productId) => {
  const line = order && order.lines ? order.lines.find((l) => l.productId === productId) : null;
  return line ? line.productName : null;
};

/** Polls the probe order's view and its customer's history until both show `name`; ms after `ackAt` each. */
const watchUntilVisible = async (product, name, tags, deadline) => {
  const seen = { orderView: -1, history: -1 };
  let shown = null;
  const ackAt = Date.now();
  await pollUntil(
    async () => {
      if (seen.orderView < 0) {
        const res = await get(`/v1/orders/${product.probeOrderId}`, { tags: { ...tags, op: "order view", name: "GET /v1/orders/{id}" } });
        check(res, { "order view: 200": (r) => r.status === 200 });
        shown = nameIn(bodyOf(res), product.id);
        if (res.status === 200 && caughtUp(shown, name)) seen.orderView = Date.now() - ackAt;
      }
      if (seen.history < 0) {
        const res = await get(`/v1/customers/${product.probeCustomerId}/orders?limit=100`, {
          tags: { ...tags, op: "history", name: "GET /v1/customers/{id}/orders" },
        });
        check(res, { "order history: 200": (r) => r.status === 200 });
        const page = bodyOf(res);
        const order = page && page.items ? page.items.find((item) => item.id === product.probeOrderId) : null;
        const historyName = nameIn(order, product.id);
        if (res.status === 200 && caughtUp(historyName, name)) seen.history = Date.now() - ackAt;
      }
      return seen.orderView >= 0 && seen.history >= 0;
    },
    { intervalS: POLL_S, timeoutS: Math.max(0, Math.min(STALE_BOUND_S, (deadline - Date.now()) / 1000)) },
  );
  return { ...seen, superseded: shown !== name };
};

const rename = async (data, mode) => {
  const tags = { mode, fanout: String(FANOUT) };
  const product = data.products[exec.scenario.iterationInTest % data.products.length];
  const name = freshName(product);
  const path = `/v1/products/${product.id}/rename${mode === "sync" ? "?propagation=sync" : ""}`;
  const res = await post(
    path,
    { name },
    {
      tags: { ...tags, op: "rename", name: mode === "sync" ? "POST /v1/products/{id}/rename?propagation=sync" : "POST /v1/products/{id}/rename" },
      expected: [200, 409],
    },
  );
  check(res, { [`${mode} rename: 200 (409 only when a concurrent rename won)`]: (r) => r.status === 200 || r.status === 409 });
  if (res.status === 409) {
    // The sync saga reads the version and renames only if it is unchanged: a concurrent
    // rename of the same product makes it roll back. Not an outage: counted apart.
    renameConflicts.add(1, tags);
    return;
  }
  if (res.status !== 200) {
    renameFailed.add(1, { ...tags, reason: `status ${res.status}` });
    return;
  }
  renameAck.add(latencyOf(res), tags);
  renamed.add(1, tags);
  const seen = await watchUntilVisible(product, name, tags, watchDeadline(data, mode));
  if (seen.orderView >= 0) orderViewStaleness.add(seen.orderView, tags);
  if (seen.history >= 0) historyStaleness.add(seen.history, tags);
  if (seen.orderView >= 0 && seen.history >= 0) {
    staleness.add(Math.max(seen.orderView, seen.history), tags);
    if (seen.superseded) superseded.add(1, tags);
  } else {
    neverVisible.add(1, tags);
  }
};

export async function renameAsync(data) {
  await rename(data, "async");
}

export async function renameSync(data) {
  await rename(data, "sync");
}

export function handleSummary(data) {
  const rows = MODES.map((mode) => {
    const ack = valuesOf(data, sub("rename_ack_duration", { mode }));
    const stale = valuesOf(data, sub("rename_staleness", { mode }));
    return [
      mode,
      cell.ms(ack, "med"),
      cell.ms(ack, "p(99)"),
      cell.ms(stale, "med"),
      cell.ms(stale, "p(99)"),
      cell.ms(valuesOf(data, sub("rename_staleness_order_view", { mode })), "p(99)"),
      cell.ms(valuesOf(data, sub("rename_staleness_history", { mode })), "p(99)"),
      cell.count(valuesOf(data, sub("renames", { mode }))),
      cell.count(valuesOf(data, sub("rename_never_visible", { mode }))),
      cell.count(valuesOf(data, sub("rename_conflicts", { mode }))),
      cell.count(valuesOf(data, sub("rename_failed", { mode }))),
      cell.count(valuesOf(data, sub("dropped_iterations", { scenario: mode }))),
    ];
  });
  const text = [
    `fan-out ${FANOUT} orders per product, ${PRODUCTS} products, ${RATE} renames/s, ${DURATION_S} s per mode`,
    table(
      [
        "mode",
        "ack p50 ms",
        "ack p99 ms",
        "stale p50 ms",
        "stale p99 ms",
        "view p99",
        "history p99",
        "renamed",
        "never visible",
        "conflicts",
        "failed",
        "dropped",
      ],
      rows,
    ),
  ].join("\n");
  return summaryOutputs("rename", data, text);
}
