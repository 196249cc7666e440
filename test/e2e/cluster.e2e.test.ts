import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { connectCassandra } from "@bazaar/event-store";
import { CLUSTER_NODES, clusterStack, connectStoresNats, uniqueName, waitFor, type RunningProcess } from "@bazaar/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./auth.js";
import { startContexts, type ContextName, type Contexts } from "./contexts.js";
import { expectNothingHalfDone, expectOneOrderPerKey, expectReadModelsClean, readStoredAndPublished, settledSagas, storedOrderIds } from "./faultChecks.js";
import { faultTraffic, type Sample } from "./faultTraffic.js";
import { root } from "./platform.js";
import { productStreamId } from "@bazaar/catalog/domain";

/**
 * Cluster mode (issue 9 §4, issue 10 item 1): the platform on `stack up --nodes 3` — three
 * Cassandra nodes (keyspaces at replication factor 3, writes at LOCAL_QUORUM, LWTs at
 * LOCAL_SERIAL) and three NATS JetStream nodes (streams at 3 replicas) — takes writes through
 * REST (product creates, sync and async orders) while one Cassandra node and the NATS node that
 * leads the catalog stream are SIGKILLed, overlapping, and brought back. Asserted: every
 * acknowledged write is stored (a scan at LOCAL_QUORUM; the ones acknowledged while a node was
 * down also read one by one at LOCAL_SERIAL), stored = published in every context, every read
 * model verifies clean once quiescent, every saga settles, and with two of three nodes up every
 * product create and async order succeeds — the only failures allowed are requests in flight
 * within BLIP_MS of a kill or while the restarted nodes rejoin (see below); sync orders
 * (3-step sagas) may also time out now and then while the node restarts (bounded, see below).
 * All of it is counted in the figures.
 *
 * On by default; BAZAAR_CLUSTER_TESTS=off skips it (it starts three more JVMs: ~2 GB). The
 * cluster is stopped afterwards unless it was running before (or BAZAAR_CLUSTER_KEEP=1).
 */
const enabled = process.env.BAZAAR_CLUSTER_TESTS !== "off";
const run = promisify(execFile);
const stackCommand = async (...args: string[]) => {
  const started = performance.now();
  const { stdout } = await run("bash", [`${root}deploy/local/stack`, ...args], { cwd: root, timeout: 600_000, maxBuffer: 1 << 22 });
  return { stdout, seconds: (performance.now() - started) / 1000 };
};
const stackStatus = () =>
  stackCommand("status", "--nodes", String(CLUSTER_NODES)).then(
    () => true,
    () => false,
  );

const BUDGET_MS = 5_000;
/**
 * The one window where a request may fail with two of three nodes up: it was in flight when a
 * node died, or reached it before the others knew. A CQL request on a connection to the killed
 * node fails at once (the driver retries no non-idempotent statement elsewhere); a NATS publish
 * to the killed stream leader waits for the new leader's election (a few seconds). Both answer
 * 503 within the request budget; by then the driver and the NATS client have moved on.
 */
const BLIP_MS = BUDGET_MS + 1_000;
/**
 * The other moment: the restarted nodes rejoin. The Cassandra node's peers mark it up in gossip
 * and send it reads, Paxos rounds and hints some seconds before its CQL port answers, and go on
 * doing so until every node sees the ring whole, while it still replays its commit log and
 * compiles its hot code on a saturated 2-core machine; a request that waits on it then may exceed
 * the budget. Measured on this machine: one sync order of ~1 200 requests before its CQL port
 * answered, and (once in ten runs) a product create's LWT timing out (504 after Cassandra's 2 s
 * write timeout) the moment the ring became whole. The NATS node restarts right after, rejoining
 * its stream groups. Window: from REJOIN_BEFORE_MS before the Cassandra node's CQL port answered
 * to BLIP_MS after the NATS node is back.
 */
const REJOIN_BEFORE_MS = 20_000;
const PHASE_MS = 6_000;
const CONTEXTS: ContextName[] = ["catalog", "inventory", "ordering"];
const READ_MODELS = ["catalog-product-search", "inventory-stock-level", "ordering-order-view"];
const customerId = "7d3c1a52-3f4e-4b8a-9c1d-2e5f6a7b8c9d";

let contexts: Contexts;
let gateway: RunningProcess;
let base: string;
let productId: string;
let wasRunning = false;
const figures: string[] = [];

const post = (path: string, body: unknown) =>
  api(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const getJson = async (path: string) => {
  const res = await api(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const streamName = (context: ContextName) => `${contexts.namespace.toUpperCase()}_${context.toUpperCase()}`;

/** Resident memory of each cluster node (its pid file's process: the JVM, the nats-server). */
const nodeRss = () =>
  ["cassandra", "nats"].flatMap((server) =>
    Array.from({ length: CLUSTER_NODES }, (_, i) => {
      const name = `${server}-${i + 1}`;
      try {
        const pid = readFileSync(`${process.env.BAZAAR_STATE_DIR ?? `${root}.local`}/cluster/run/${name}.pid`, "utf8").trim();
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
        return `${name} ${Math.round(kb / 1024)} MB`;
      } catch {
        return `${name} -`;
      }
    }),
  );

/**
 * Every stored event of a context's keyspace, and every event published on its stream — read
 * again from the start if a read fails (a stream whose leader moved a moment ago
 * answers "no responders" until the new leader is known).
 */
const storedAndPublished = (context: ContextName) =>
  waitFor(`${context}: stored and published events read`, () => readStoredAndPublishedOf(context), { timeoutMs: 60_000, intervalMs: 1_000 });
const readStoredAndPublishedOf = (context: ContextName) => readStoredAndPublished(clusterStack, `${context}_${contexts.namespace}`, streamName(context));

describe.skipIf(!enabled)("cluster mode: 3 Cassandra + 3 NATS nodes, one of each killed under load", () => {
  beforeAll(async () => {
    wasRunning = await stackStatus();
    const up = await stackCommand("up", "--nodes", String(CLUSTER_NODES));
    figures.push(`stack up --nodes ${CLUSTER_NODES}: ${wasRunning ? "already running" : `${up.seconds.toFixed(1)} s`}`);
    figures.push(`RSS after start: ${nodeRss().join(", ")}`);
    contexts = await startContexts(CONTEXTS, {}, clusterStack);
    ({ process: gateway, base } = await contexts.startGateway({
      RATE_LIMIT_LIMIT: "1000000",
      DOWNSTREAM_TIMEOUT_MS: String(BUDGET_MS),
      SAGA_RECOVER_AFTER_MS: "2000",
      SAGA_RECOVERY_INTERVAL_MS: "500",
    }));
    const created = await post("/v1/products", {
      sku: uniqueName("CLUSTER"),
      name: "Cluster bowl",
      category: "cluster",
      price: { amount: 900, currency: "EUR" },
    });
    expect(created.status).toBe(201);
    productId = ((await created.json()) as { id: string }).id;
    expect((await post(`/v1/inventory/${productId}/restock`, { quantity: 1_000_000 })).status).toBe(200);
    await waitFor(
      "ordering knows the product",
      async () => {
        const res = await post("/v1/orders?flow=sync", { customerId, lines: [{ productId, quantity: 1 }] });
        return res.status === 201 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }, 900_000);

  afterAll(async () => {
    const errors = (output: string) => output.split("\n").filter((line) => line.includes('"level":50'));
    console.log([gateway?.output() ?? "", ...CONTEXTS.map((name) => contexts?.output(name) ?? "")].flatMap(errors).slice(0, 20).join("\n"));
    // The processes' whole logs, next to the cluster's, for a look after a failure.
    const logs = `${process.env.BAZAAR_STATE_DIR ?? `${root}.local`}/cluster/logs`;
    mkdirSync(logs, { recursive: true });
    writeFileSync(`${logs}/e2e-gateway.log`, gateway?.output() ?? "");
    for (const name of CONTEXTS) writeFileSync(`${logs}/e2e-${name}.log`, contexts?.output(name) ?? "");
    console.log(["\ncluster mode figures:", ...figures.map((f) => `  ${f}`)].join("\n"));
    await gateway?.stop();
    await contexts?.stopAll();
    await contexts?.cleanup();
    if (!wasRunning && process.env.BAZAAR_CLUSTER_KEEP !== "1") await stackCommand("down", "--nodes", String(CLUSTER_NODES));
  }, 300_000);

  it("creates keyspaces at replication factor 3 and streams at 3 replicas", async () => {
    const cql = await connectCassandra(clusterStack.cassandra);
    const nc = await connectStoresNats(clusterStack);
    try {
      const peers = await cql.execute("SELECT peer FROM system.peers");
      expect(peers.rowLength).toBe(CLUSTER_NODES - 1);
      for (const keyspace of [...CONTEXTS.map((c) => `${c}_${contexts.namespace}`), `gateway_${contexts.namespace}`]) {
        const row = (await cql.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", [keyspace], { prepare: true })).first();
        expect(row?.get("replication"), keyspace).toMatchObject({ replication_factor: String(CLUSTER_NODES) });
      }
      const jsm = await jetstreamManager(nc);
      for (const name of [...CONTEXTS.map(streamName), "DEADLETTER"]) {
        const info = await jsm.streams.info(name);
        expect(info.config.num_replicas, name).toBe(CLUSTER_NODES);
        expect(info.cluster?.replicas?.length, `${name}: followers of ${info.cluster?.leader}`).toBe(CLUSTER_NODES - 1);
      }
    } finally {
      await nc.close();
      await cql.shutdown();
    }
  });

  it(
    "loses nothing acknowledged and keeps answering 2xx while a Cassandra node and a NATS node are killed and brought back",
    { timeout: 900_000 },
    async () => {
      const traffic = faultTraffic({ base, budgetMs: BUDGET_MS, writers: 3, order: { productId, customerId } });
      const events: { what: string; at: number }[] = [];
      const mark = (what: string) => events.push({ what, at: performance.now() });
      await pause(3_000);

      // The NATS node to kill: the catalog stream's leader, so a new leader must be elected.
      const nc = await connectStoresNats(clusterStack);
      const leader = (await (await jetstreamManager(nc)).streams.info(streamName("catalog"))).cluster?.leader ?? "";
      await nc.close();
      const natsNode = `nats-${/nats-(\d+)$/.exec(leader)?.[1] ?? "3"}`;
      const cassandraNode = "cassandra-2";

      mark(`kill ${cassandraNode}`);
      await stackCommand("signal", cassandraNode, "KILL");
      await pause(PHASE_MS);
      mark(`kill ${natsNode} (catalog stream leader)`);
      await stackCommand("signal", natsNode, "KILL");
      await pause(PHASE_MS);
      mark(`restart ${cassandraNode}`);
      const cassandraBack = await stackCommand("up", "--nodes", String(CLUSTER_NODES), cassandraNode);
      mark(`${cassandraNode} back (ring whole)`);
      // When its CQL port answered: "cassandra-2  healthy  …  healthy after 65.3s" (from the restart).
      const cqlAfterS = Number(new RegExp(`^${cassandraNode}\\s+healthy.*healthy after ([\\d.]+)s`, "m").exec(cassandraBack.stdout)?.[1] ?? Number.NaN);
      expect(Number.isFinite(cqlAfterS), cassandraBack.stdout).toBe(true);
      const rejoined = events.find((e) => e.what === `restart ${cassandraNode}`)!.at + cqlAfterS * 1000;
      mark(`restart ${natsNode}`);
      const natsBack = await stackCommand("up", "--nodes", String(CLUSTER_NODES), natsNode);
      mark(`${natsNode} back`);
      // Past the rejoin window, a stretch with every node up, checked like the rest.
      await pause(BLIP_MS + PHASE_MS);
      await traffic.stop();
      const recovered = performance.now();
      figures.push(
        `${cassandraNode} restart to a whole ring: ${cassandraBack.seconds.toFixed(1)} s; ${natsNode} restart to healthy: ${natsBack.seconds.toFixed(1)} s`,
      );

      // Sagas settle, the namespace goes quiet, read models verify.
      const orders = await storedOrderIds(clusterStack, contexts.namespace);
      const sagas = await settledSagas(getJson, orders, traffic.orders);
      await contexts.quiescence();
      const verifies = await Promise.all(READ_MODELS.map((name) => contexts.cli(["projections", "verify", `${contexts.namespace}-${name}`])));
      const convergedS = (performance.now() - recovered) / 1000;

      // The figures.
      const { samples } = traffic;
      const ok = (s: Sample) => s.status >= 200 && s.status < 300;
      const failed = samples.filter((s) => !ok(s));
      const kills = events.filter((e) => e.what.startsWith("kill"));
      const overlaps = (s: Sample, from: number, to: number) => s.at + s.ms >= from && s.at <= to;
      const inKill = (s: Sample) => kills.some((k) => overlaps(s, k.at, k.at + BLIP_MS));
      const allBack = events.at(-1)!.at; // the NATS node back: the last restart done
      const inRejoin = (s: Sample) => overlaps(s, rejoined - REJOIN_BEFORE_MS, allBack + BLIP_MS);
      // A key whose first failure fell in such a moment retries until its saga's outcome is known:
      // "still running" (503), then that outcome (409 when it was compensated) — the same failure.
      const failedKeysInMoments = new Set(failed.filter((f) => inKill(f) || inRejoin(f)).flatMap((f) => (f.key ? [f.key] : [])));
      const inBlip = (s: Sample) => inKill(s) || inRejoin(s) || (s.key !== undefined && failedKeysInMoments.has(s.key));
      const byStatus = (list: Sample[]) => {
        const counts = new Map<number, number>();
        for (const s of list) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
        return (
          [...counts]
            .sort(([a], [b]) => a - b)
            .map(([status, n]) => `${status}: ${n}`)
            .join(", ") || "none"
        );
      };
      const start = events[0]!.at;
      const degradedUntil = events.at(-2)!.at; // the last restart began: until then some node was down
      const { stored, published } = await storedAndPublished("catalog");
      const products = new Set(stored.map((e) => e.streamId));
      const acked = samples.filter((s): s is typeof s & { id: string } => s.kind === "create" && s.status === 201 && s.id !== undefined);
      const projected = /clean — (\d+) documents/.exec(verifies[0]!.output)?.[1] ?? "not clean";
      figures.push(`events: ${events.map((e) => `${e.what} @ ${((e.at - start) / 1000).toFixed(1)} s`).join(", ")}`);
      figures.push(`requests by status: ${byStatus(samples)} (${samples.length} in all)`);
      figures.push(
        `not 2xx: ${byStatus(failed)}; in the moments of a kill or the rejoin (or retries of their keys): ${failed.filter(inBlip).length}, elsewhere: ${failed.filter((s) => !inBlip(s)).length}`,
      );
      for (const k of kills) {
        const near = failed.filter((s) => s.at + s.ms >= k.at && s.at <= k.at + BLIP_MS);
        const last = Math.max(0, ...near.map((s) => s.at + s.ms - k.at));
        figures.push(`  ${k.what}: ${near.length} not 2xx (${byStatus(near)}), the last answered ${(last / 1000).toFixed(1)} s after the kill`);
      }
      const rejoinFailures = failed.filter((f) => !inKill(f) && inRejoin(f));
      figures.push(
        `  ${cassandraNode} and ${natsNode} rejoining (CQL answered ${cqlAfterS.toFixed(1)} s after its restart; window ${((rejoined - REJOIN_BEFORE_MS - start) / 1000).toFixed(1)} to ${((allBack + BLIP_MS - start) / 1000).toFixed(1)} s): ${rejoinFailures.length} not 2xx (${byStatus(rejoinFailures)}); retries of keys failed in those moments: ${failed.filter((f) => !inKill(f) && !inRejoin(f) && inBlip(f)).length}`,
      );
      figures.push(
        `  elsewhere: ${
          failed
            .filter((f) => !inBlip(f))
            .map((f) => `${f.kind} ${f.status} at ${((f.at - start) / 1000).toFixed(1)} s (${Math.round(f.ms)} ms)`)
            .join(", ") || "none"
        }`,
      );
      figures.push(
        `  sync order keys failed outside those moments: ${new Set(failed.filter((f) => !inBlip(f) && f.kind === "order-sync").map((f) => f.key)).size} of ${traffic.orders.filter((o) => o.flow === "sync").length}`,
      );
      figures.push(
        `max latency ${(Math.max(...samples.map((s) => s.ms)) / 1000).toFixed(1)} s; while degraded: ${samples.filter((s) => s.at >= start && s.at <= degradedUntil).length} requests`,
      );
      figures.push(
        `products acknowledged / stored / published / projected: ${acked.length} / ${products.size - 1} / ${new Set(published).size} events / ${projected}`,
      );
      figures.push(
        `orders: sync 201 ${traffic.orders.filter((o) => o.flow === "sync" && o.statuses.at(-1) === 201).length}, async 202 ${traffic.orders.filter((o) => o.flow === "async" && o.statuses.at(-1) === 202).length}, retried keys ${traffic.orders.filter((o) => o.statuses.length > 1).length}; sagas COMPLETED / COMPENSATED ${sagas.filter((s) => s === "COMPLETED").length} / ${sagas.filter((s) => s === "COMPENSATED").length}`,
      );
      figures.push(`converged (sagas settled, quiescent, verified) ${convergedS.toFixed(1)} s after the load stopped`);
      figures.push(`RSS after the run: ${nodeRss().join(", ")}`);

      // Every acknowledged product is stored (LOCAL_QUORUM scan above) ...
      expect(acked.length).toBeGreaterThan(0);
      for (const s of acked) expect(products.has(productStreamId(s.id)), `acknowledged product ${s.id} is stored`).toBe(true);
      // ... and those acknowledged while a node was down are there at LOCAL_SERIAL too.
      const cql = await connectCassandra(clusterStack.cassandra);
      try {
        const degraded = acked.filter((s) => s.at >= start && s.at <= degradedUntil);
        expect(degraded.length).toBeGreaterThan(0);
        for (const s of degraded) {
          const head = (
            await cql.execute(`SELECT head FROM catalog_${contexts.namespace}.events WHERE stream_id = ? LIMIT 1`, [productStreamId(s.id)], {
              prepare: true,
              consistency: cassandra.types.consistencies.localSerial,
            })
          ).first();
          expect(Number(head?.get("head") ?? 0), `product ${s.id} at LOCAL_SERIAL`).toBeGreaterThanOrEqual(1);
        }
        figures.push(`read one by one at LOCAL_SERIAL: ${degraded.length} products acknowledged while a node was down`);
      } finally {
        await cql.shutdown();
      }
      // Orders: every key settled, one order per key, every acknowledged one stored.
      expectOneOrderPerKey(traffic.orders, orders);
      // Stored = published in every context: nothing lost, nothing published that is not stored.
      for (const context of CONTEXTS) {
        const both = context === "catalog" ? { stored, published } : await storedAndPublished(context);
        expect(new Set(both.published), `${context}: published = stored`).toEqual(new Set(both.stored.map((e) => e.eventId)));
      }
      await expectNothingHalfDone(getJson, orders, productId);
      expectReadModelsClean(verifies, READ_MODELS);
      // With two of three nodes up, requests succeed: no failure but in the moment of a kill, never a 500.
      expect(samples.filter((s) => s.status === 500)).toEqual([]);
      // Product creates and async orders: not one failure outside those moments.
      expect(
        failed
          .filter((s) => !inBlip(s) && s.kind !== "order-sync")
          .map((s) => `${s.kind} ${s.status} at ${((s.at - start) / 1000).toFixed(1)} s (${Math.round(s.ms)} ms)`),
      ).toEqual([]);
      // A sync order is a 3-step saga (about ten LWTs in a row, each a Paxos round between two
      // nodes): while the killed node's JVM starts up again on this 2-core machine, an occasional
      // one runs out of its 5 s budget (504) and is compensated — measured: 2 of 47 and 2 of 26
      // keys. How many depends on how loaded the machine is (that is measured, not asserted; see
      // the figures); asserted: such a failure is a 503/504 within the budget (or, on the key's retry, the 409 of its compensated saga), every such saga
      // settled (above), and it stays the exception — fewer than half the keys (a saga path that
      // breaks with a node down, as the logged batch did, failed 13 of 16).
      const syncKeys = traffic.orders.filter((o) => o.flow === "sync").length;
      const syncFailures = failed.filter((s) => !inBlip(s) && s.kind === "order-sync");
      // 409: the retry of such a key hears its saga's outcome — compensated.
      expect(syncFailures.filter((s) => ![409, 503, 504].includes(s.status))).toEqual([]);
      const syncKeysFailed = new Set(syncFailures.map((s) => s.key));
      expect(syncKeysFailed.size, `${syncKeysFailed.size} of ${syncKeys} sync orders failed outside the moments of a kill or the rejoin`).toBeLessThan(
        syncKeys / 2,
      );
      // The replicas caught up: every stream's followers are current again.
      const nc2 = await connectStoresNats(clusterStack);
      try {
        const jsm = await jetstreamManager(nc2);
        await waitFor(
          "every stream replica current",
          async () => {
            for (const context of CONTEXTS) {
              const info = await jsm.streams.info(streamName(context));
              if ((info.cluster?.replicas ?? []).filter((r) => r.current).length !== CLUSTER_NODES - 1) return undefined;
            }
            return true;
          },
          { timeoutMs: 30_000, intervalMs: 500 },
        );
      } finally {
        await nc2.close();
      }
    },
  );
});
