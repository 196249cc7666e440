import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { connectCassandra } from "@bazaar/event-store";
import { decodeEnvelope } from "@bazaar/messaging";
import { stack, uniqueName, type RunningProcess } from "@bazaar/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./auth.js";
import { startContexts, type Contexts } from "./contexts.js";
import { root } from "./platform.js";

/**
 * The data stores die or hang under write load through REST (invariants 1, 2, 4, 8, 9):
 * Cassandra, NATS and Elasticsearch each SIGKILLed (then restarted) and SIGSTOPped (then
 * continued) while writers create products and a reader searches. Afterwards: no 500 and no
 * answer slower than the request budget, every 503 with Retry-After; every acknowledged create
 * stored; stored = published (no phantom); the read model verifies clean once quiescent.
 */
const run = promisify(execFile);
const stackCommand = (...args: string[]) => run("bash", [`${root}deploy/local/stack`, ...args], { cwd: root, timeout: 180_000 });

/** What the gateway promises: an answer within its request budget (plus scheduling slack on a loaded 2-core box). */
const BUDGET_MS = 5_000;
const SLACK_MS = 1_500;
const OUTAGE_MS = 8_000;

interface Sample {
  kind: "create" | "search";
  status: number;
  ms: number;
  retryAfter: string | null;
  id?: string;
}

let contexts: Contexts;
let gateway: RunningProcess;
let base: string;
const report: string[] = [];

beforeAll(async () => {
  contexts = await startContexts(["catalog"]);
  ({ process: gateway, base } = await contexts.startGateway({ RATE_LIMIT_LIMIT: "1000000", DOWNSTREAM_TIMEOUT_MS: String(BUDGET_MS) }));
});

afterAll(async () => {
  // What went wrong, if anything: the error lines of the gateway and the catalog.
  const errors = (output: string) => output.split("\n").filter((line) => line.includes('"level":50'));
  console.log([...errors(gateway?.output() ?? ""), ...errors(contexts?.output("catalog") ?? "")].slice(0, 20).join("\n"));
  console.log(["\n| fault | requests by status | max latency | acknowledged / stored / published / projected | converged after |", "|---|---|---|---|---|", ...report].join("\n"));
  await gateway?.stop();
  await contexts?.stopAll();
  await contexts?.cleanup();
});

/** Writers and a reader through REST until `stop()`; each request bounded well past the budget, so a hang shows. */
const load = (writers: number) => {
  const samples: Sample[] = [];
  let running = true;
  const timed = async (kind: Sample["kind"], request: () => Promise<Response>) => {
    const started = performance.now();
    let res: Response;
    try {
      res = await request();
    } catch {
      samples.push({ kind, status: 0, ms: performance.now() - started, retryAfter: null });
      return undefined;
    }
    const body = (await res.json().catch(() => ({}))) as { id?: string };
    samples.push({ kind, status: res.status, ms: performance.now() - started, retryAfter: res.headers.get("retry-after"), ...(res.status === 201 && body.id ? { id: body.id } : {}) });
    return res;
  };
  const writer = async () => {
    while (running) {
      const product = { sku: uniqueName("F"), name: "Fault mug", category: "faults", price: { amount: 1000, currency: "EUR" } };
      const res = await timed("create", () =>
        api(`${base}/v1/products`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": randomUUID() },
          body: JSON.stringify(product),
          signal: AbortSignal.timeout(3 * BUDGET_MS),
        }),
      );
      if (!res || res.status >= 500) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const reader = async () => {
    while (running) {
      await timed("search", () => api(`${base}/v1/products?q=mug&category=faults&limit=5`, { signal: AbortSignal.timeout(3 * BUDGET_MS) }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const all = Promise.all([...Array.from({ length: writers }, writer), reader()]);
  return {
    samples,
    async stop() {
      running = false;
      await all;
    },
  };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every stored event of the catalog keyspace, and every published one, by id. */
const storedAndPublished = async () => {
  const keyspace = `catalog_${contexts.namespace}`;
  const cql = await connectCassandra(stack.cassandra);
  const nc = await connect({ servers: stack.nats.servers });
  try {
    const stored: { streamId: string; eventId: string }[] = [];
    let pageState: string | undefined;
    do {
      const page = await cql.execute(`SELECT stream_id, event_id FROM ${keyspace}.events`, [], { fetchSize: 5_000, pageState });
      for (const row of page.rows) if (row.get("event_id")) stored.push({ streamId: row.get("stream_id") as string, eventId: String(row.get("event_id")) });
      pageState = page.pageState ?? undefined;
    } while (pageState);
    const streamName = `${contexts.namespace.toUpperCase()}_CATALOG`;
    const total = (await (await jetstreamManager(nc)).streams.info(streamName)).state.messages;
    const consumer = await jetstream(nc).consumers.get(streamName);
    const published: string[] = [];
    while (published.length < total) {
      const batch = await consumer.fetch({ max_messages: Math.min(total - published.length, 1000), expires: 2_000 });
      for await (const msg of batch) published.push(decodeEnvelope(msg.headers, msg.data).eventId);
    }
    return { stored, published };
  } finally {
    await nc.close();
    await cql.shutdown();
  }
};

const faults = [
  { server: "cassandra", signal: "KILL" },
  { server: "cassandra", signal: "STOP" },
  { server: "nats", signal: "KILL" },
  { server: "nats", signal: "STOP" },
  { server: "elasticsearch", signal: "KILL" },
  { server: "elasticsearch", signal: "STOP" },
] as const;

describe("data-store faults under write load through REST", () => {
  for (const { server, signal } of faults) {
    it(`${server} SIG${signal}: nothing acknowledged is lost, no 500, no hang`, { timeout: 300_000 }, async () => {
      const traffic = load(4);
      await pause(2_000);
      await stackCommand("signal", server, signal);
      await pause(OUTAGE_MS);
      if (signal === "KILL") await stackCommand("up", server);
      else await stackCommand("signal", server, "CONT");
      await pause(3_000);
      await traffic.stop();
      const recovered = performance.now();
      await contexts.quiescence();
      const verify = await contexts.cli(["projections", "verify", `${contexts.namespace}-catalog-product-search`]);
      const convergedS = (performance.now() - recovered) / 1000;

      const { samples } = traffic;
      const byStatus = new Map<number, number>();
      for (const s of samples) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
      const acked = samples.filter((s) => s.kind === "create" && s.status === 201).map((s) => s.id!);
      const { stored, published } = await storedAndPublished();
      const streams = new Set(stored.map((e) => e.streamId));
      const maxMs = Math.max(...samples.map((s) => s.ms));
      const projected = /clean — (\d+) documents/.exec(verify.output)?.[1] ?? "not clean";
      report.push(
        `| ${server} SIG${signal} | ${[...byStatus].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(", ")} | ${(maxMs / 1000).toFixed(1)} s | ${acked.length} / ${streams.size} / ${new Set(published).size} / ${projected} | ${convergedS.toFixed(1)} s |`,
      );

      expect(acked.length).toBeGreaterThan(0);
      // Invariant 9: an outage answers fast, 503 (with Retry-After) or 504 — never a 500, never a hang.
      expect([...byStatus.keys()].filter((status) => ![200, 201, 503, 504].includes(status))).toEqual([]);
      expect(samples.filter((s) => s.status === 503 && !s.retryAfter)).toEqual([]);
      expect(maxMs).toBeLessThan(BUDGET_MS + SLACK_MS);
      // Invariant 1: every acknowledged create is stored.
      for (const id of acked) expect(streams.has(`product-${id}`), `acknowledged product ${id} is stored`).toBe(true);
      // Invariants 2 and 8: stored = published, nothing published that is not stored.
      expect(new Set(published)).toEqual(new Set(stored.map((e) => e.eventId)));
      // Invariant 4: the read model equals the fold of the event store.
      expect(verify.output).toMatch(/clean — [1-9]\d* documents/);
      expect(verify.code).toBe(0);
    });
  }
});
