import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { stack, uniqueName, waitFor, type RunningProcess } from "@bazaar/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./auth.js";
import { startContexts, type ContextName, type Contexts } from "./contexts.js";
import {
  expectNothingHalfDone,
  expectOneOrderPerKey,
  expectReadModelsClean,
  orderIdOf,
  readStoredAndPublished,
  settledSagas,
  storedOrderIds,
} from "./faultChecks.js";
import { faultTraffic } from "./faultTraffic.js";
import { root } from "./platform.js";
import { productStreamId } from "@bazaar/catalog/domain";

/**
 * The data stores die or hang under load through REST (invariants 1, 2, 4, 5, 8, 9): Cassandra,
 * NATS and Elasticsearch each SIGKILLed (then restarted) and SIGSTOPped (then continued) while
 * writers create products, a reader searches, and two clients place orders — orchestrated
 * (flow=sync, a saga across ordering and inventory) and choreographed (flow=async) — retrying
 * each with its Idempotency-Key until they get an answer. Afterwards: no 500 and no answer
 * slower than the request budget, every 503 with Retry-After; every acknowledged write stored;
 * stored = published (no phantom) in every context; one order per key; every saga settled
 * (COMPLETED or COMPENSATED) and no order left pending; stock reserved = orders confirmed; every
 * read model verifies clean once quiescent.
 */
const run = promisify(execFile);
/** The stack's warnings (a server that died while starting and was started again), printed with the report. */
const stackWarnings: string[] = [];
const stackCommand = async (...args: string[]) => {
  const { stderr } = await run("bash", [`${root}deploy/local/stack`, ...args], { cwd: root, timeout: 180_000 });
  if (stderr.includes("warning:")) stackWarnings.push(`stack ${args.join(" ")}:\n${stderr}`);
};

/** What the gateway promises: an answer within its request budget (plus scheduling slack on a loaded 2-core box). */
const BUDGET_MS = 5_000;
const SLACK_MS = 1_500;
const OUTAGE_MS = 8_000;
const CONTEXTS: ContextName[] = ["catalog", "inventory", "ordering"];
const READ_MODELS = ["catalog-product-search", "inventory-stock-level", "ordering-order-view"];

let contexts: Contexts;
let gateway: RunningProcess;
let base: string;
let productId: string;
const customerId = "7d3c1a52-3f4e-4b8a-9c1d-2e5f6a7b8c9d";
const report: string[] = [];
/** The order ids every key of every fault so far derives. */
const everyKeyId = new Set<string>();

const post = (path: string, body: unknown) =>
  api(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const getJson = async (path: string) => {
  const res = await api(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  contexts = await startContexts(CONTEXTS);
  ({ process: gateway, base } = await contexts.startGateway({
    RATE_LIMIT_LIMIT: "1000000",
    DOWNSTREAM_TIMEOUT_MS: String(BUDGET_MS),
    // A saga whose owner lost its way in an outage is taken over soon after.
    SAGA_RECOVER_AFTER_MS: "2000",
    SAGA_RECOVERY_INTERVAL_MS: "500",
  }));
  const created = await post("/v1/products", { sku: uniqueName("FAULT"), name: "Fault bowl", category: "faults", price: { amount: 900, currency: "EUR" } });
  productId = ((await created.json()) as { id: string }).id;
  expect((await post(`/v1/inventory/${productId}/restock`, { quantity: 1_000_000 })).status).toBe(200);
  // Ordering learns the product from catalog events before it takes orders for it.
  await waitFor("ordering knows the product", async () => {
    const res = await post("/v1/orders?flow=sync", { customerId, lines: [{ productId, quantity: 1 }] });
    return res.status === 201 ? true : undefined;
  });
});

afterAll(async () => {
  // What went wrong, if anything: the error lines of the gateway and the contexts.
  const errors = (output: string) => output.split("\n").filter((line) => line.includes('"level":50'));
  console.log([gateway?.output() ?? "", ...CONTEXTS.map((name) => contexts?.output(name) ?? "")].flatMap(errors).slice(0, 20).join("\n"));
  console.log(
    [
      "\n| fault | requests by status | max latency | products acknowledged / stored / published / projected | orders: sync 201 / 409, async 202, retried keys | sagas COMPLETED / COMPENSATED | converged after |",
      "|---|---|---|---|---|---|---|",
      ...report,
      ...stackWarnings,
    ].join("\n"),
  );
  await gateway?.stop();
  await contexts?.stopAll();
  await contexts?.cleanup();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every stored event of a context's keyspace, and every event published on its stream, by id. */
const storedAndPublished = (context: ContextName) =>
  readStoredAndPublished(stack, `${context}_${contexts.namespace}`, `${contexts.namespace.toUpperCase()}_${context.toUpperCase()}`);

const faults = [
  { server: "cassandra", signal: "KILL" },
  { server: "cassandra", signal: "STOP" },
  { server: "nats", signal: "KILL" },
  { server: "nats", signal: "STOP" },
  { server: "elasticsearch", signal: "KILL" },
  { server: "elasticsearch", signal: "STOP" },
] as const;

/** Every order stored in the ordering context, by id. */
const storedOrders = () => storedOrderIds(stack, contexts.namespace);

describe("data-store faults under load through REST", () => {
  for (const { server, signal } of faults) {
    it(`${server} SIG${signal}: nothing acknowledged is lost, sagas settle, retries stay single, no 500, no hang`, { timeout: 400_000 }, async () => {
      const traffic = faultTraffic({ base, budgetMs: BUDGET_MS, writers: 3, order: { productId, customerId } });
      await pause(2_000);
      await stackCommand("signal", server, signal);
      await pause(OUTAGE_MS);
      if (signal === "KILL") await stackCommand("up", server);
      else await stackCommand("signal", server, "CONT");
      await pause(3_000);
      await traffic.stop();
      const recovered = performance.now();
      for (const order of traffic.orders) everyKeyId.add(orderIdOf(order));

      // Invariant 5: every saga this run started ends all-applied or all-compensated, also the
      // ones whose owner lost track of them in the outage (recovery takes them over).
      const orders = await storedOrders();
      const sagas = await settledSagas(getJson, orders, traffic.orders);
      await contexts.quiescence();
      const verifies = await Promise.all(READ_MODELS.map((name) => contexts.cli(["projections", "verify", `${contexts.namespace}-${name}`])));
      const convergedS = (performance.now() - recovered) / 1000;

      const { samples } = traffic;
      const byStatus = new Map<number, number>();
      for (const s of samples) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
      const maxMs = Math.max(...samples.map((s) => s.ms));
      const { stored, published } = await storedAndPublished("catalog");
      const products = new Set(stored.map((e) => e.streamId));
      const acked = traffic.samples.filter((s) => s.kind === "create" && s.status === 201).map((s) => s.id!);
      const answered = (flow: string, status: number) => traffic.orders.filter((o) => o.flow === flow && o.statuses.at(-1) === status).length;
      const projected = /clean — (\d+) documents/.exec(verifies[0]!.output)?.[1] ?? "not clean";
      report.push(
        `| ${server} SIG${signal} | ${[...byStatus]
          .sort(([a], [b]) => a - b)
          .map(([status, n]) => `${status}: ${n}`)
          .join(", ")} | ${(maxMs / 1000).toFixed(1)} s ` +
          `| ${acked.length} / ${products.size} / ${new Set(published).size} / ${projected} ` +
          `| ${answered("sync", 201)} / ${answered("sync", 409)}, ${answered("async", 202)}, ${traffic.orders.filter((o) => o.statuses.length > 1).length} ` +
          `| ${sagas.filter((s) => s === "COMPLETED").length} / ${sagas.filter((s) => s === "COMPENSATED").length} | ${convergedS.toFixed(1)} s |`,
      );

      expect(acked.length).toBeGreaterThan(0);
      // Invariant 9: an outage answers fast, 503 (with Retry-After) or 504 — never a 500, never a hang.
      // 409: a sync order the saga rejected, or a retry while the first attempt's saga still runs.
      expect([...byStatus.keys()].filter((status) => ![200, 201, 202, 409, 503, 504].includes(status))).toEqual([]);
      expect(samples.filter((s) => s.status === 503 && !s.retryAfter)).toEqual([]);
      const slowest = [...samples]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5)
        .map((s) => `${s.kind} ${s.status} ${Math.round(s.ms)} ms`);
      expect(maxMs, `slowest: ${slowest.join("; ")}`).toBeLessThan(BUDGET_MS + SLACK_MS);

      // Invariant 1: every acknowledged write is stored — products, and every order a key settled.
      for (const id of acked) expect(products.has(productStreamId(id)), `acknowledged product ${id} is stored`).toBe(true);
      expectOneOrderPerKey(traffic.orders, orders);
      // No order under an id no key derives, but the one placed before the faults.
      expect(orders.filter((id) => !everyKeyId.has(id))).toHaveLength(1);

      // Invariants 2 and 8 in every context: stored = published, nothing published that is not stored.
      for (const context of CONTEXTS) {
        const events = context === "catalog" ? { stored, published } : await storedAndPublished(context);
        expect(new Set(events.published), `${context}: published = stored`).toEqual(new Set(events.stored.map((e) => e.eventId)));
      }

      await expectNothingHalfDone(getJson, orders, productId);

      // Invariant 4: every read model equals the fold of its event store.
      expectReadModelsClean(verifies, READ_MODELS);
    });
  }
});
