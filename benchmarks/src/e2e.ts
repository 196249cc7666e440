/**
 * Benchmark 5: the cost of a command through the whole platform. Starts its own platform (the
 * four contexts with all roles and the gateway, default configuration but for the gateway's rate
 * limit, in a namespace of its own) on the running stack, drives REST operations closed-loop at
 * fixed concurrencies, and reports per operation throughput, p50/p99 and the CPU milliseconds
 * each process spent per operation (/proc), next to a raw `INSERT … IF NOT EXISTS` through
 * cassandra-driver at the same concurrency, measured in the same run. Cassandra's own counters
 * (virtual tables) say how many statements, reads and writes per table each operation cost.
 *
 *   node benchmarks/dist/e2e.js [--concurrency 1,16] [--duration 10] [--warmup 3] [--fanout 20]
 *     [--ops raw-lwt,create,rename-async,rename-sync,order-async,order-sync] [--idempotency-keys]
 *     [--think 0 | --rate N] [--cpu-prof <dir>] [--node-options "<flags>"] [--label e2e] [--idle 5]
 *
 * --think S: each worker pauses S seconds after each operation (not counted in its latency), so
 * that what an operation leaves behind (a rename's fan-out to 1 000 orders) is done before the
 * next one starts: the operation's own latency, not the backlog's.
 *
 * --rate N: open loop instead — N operations per second arrive whatever the answers' pace, run
 * by at most --concurrency at once; latency counts from each arrival's scheduled time (queueing
 * included). For a latency at a given share of the peak the closed loop measured.
 *
 * --cpu-prof starts the catalog and the gateway with `node --cpu-prof` and prints where their
 * CPU went (self time by package and by function) once they have stopped.
 *
 * --node-options: NODE_OPTIONS for every process of the platform (the four contexts and the
 * gateway), e.g. "--max-semi-space-size=64" for an A/B of a V8 setting.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { CONTEXTS, currentStorePid, ensureDataStores, startPlatform, type Platform } from "@bazaar/testing";
import cassandra from "cassandra-driver";
import { runClosedLoop, type ClosedLoopResult } from "./lib/closedLoop.js";
import { runOpenLoop } from "./lib/openLoop.js";
import { RESULTS_DIR, saveResult } from "./lib/results.js";
import { cassandraKeyspace, main, onCleanup, sleep } from "./lib/stack.js";
import { fmt } from "./lib/table.js";
import { countersDelta, readCassandraCounters, type CassandraCounters } from "./e2e/cassandraCounters.js";
import { readThreadCpu, threadCpuDelta } from "./e2e/threadCpu.js";
import { readProfileOf, summarizeProfile } from "./e2e/cpuProfile.js";
import { cpuDelta, cpuTargets, PROCESSES, readCpu, totalOf, type CpuReading } from "./e2e/cpuWindow.js";
import { createProducts, inParallel, newProduct, placeOrderWhenKnown, registerCustomers, restock } from "./e2e/fixtures.js";
import { restClient } from "./e2e/rest.js";

const OPS = ["raw-lwt", "create", "rename-async", "rename-sync", "order-async", "order-sync"] as const;
type Op = (typeof OPS)[number];
const LABELS: Record<Op, string> = {
  "raw-lwt": "raw INSERT … IF NOT EXISTS (cassandra-driver)",
  create: "POST /v1/products",
  "rename-async": "POST /v1/products/{id}/rename",
  "rename-sync": "POST /v1/products/{id}/rename?propagation=sync",
  "order-async": "POST /v1/orders",
  "order-sync": "POST /v1/orders?flow=sync",
};

const { values: args } = parseArgs({
  options: {
    concurrency: { type: "string", default: "1,16" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    fanout: { type: "string", default: "20" },
    think: { type: "string", default: "0" },
    rate: { type: "string" },
    ops: { type: "string", default: OPS.join(",") },
    "idempotency-keys": { type: "boolean", default: false },
    "cpu-prof": { type: "string" },
    "node-options": { type: "string", default: "" },
    label: { type: "string", default: "e2e" },
    idle: { type: "string", default: "5" },
  },
  strict: true,
});
const positive = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: not a positive number: ${value}`);
  return n;
};
const concurrencies = args.concurrency.split(",").map((c) => positive("concurrency", c));
const durationMs = positive("duration", args.duration) * 1000;
const warmupMs = Number(args.warmup) * 1000;
const fanout = positive("fanout", args.fanout);
const thinkMs = Number(args.think) * 1000;
const idleWindowMs = positive("idle", args.idle) * 1000;
if (!Number.isFinite(thinkMs) || thinkMs < 0) throw new Error(`--think: not a number of seconds: ${args.think}`);
const ratePerS = args.rate === undefined ? undefined : positive("rate", args.rate);
if (ratePerS !== undefined && thinkMs > 0) throw new Error("--rate and --think: one or the other (an open loop has no think time)");
/** Closed loop, or open at --rate. */
const runLoop = (options: { label: string; concurrency: number; durationMs: number; op: (worker: number) => Promise<void> }) =>
  ratePerS === undefined ? runClosedLoop({ ...options, warmupMs: 0, thinkMs }) : runOpenLoop({ ...options, warmupMs: 0, ratePerS });
const ops = args.ops.split(",").map((op) => {
  if (!(OPS as readonly string[]).includes(op)) throw new Error(`--ops: unknown operation ${op} (${OPS.join(", ")})`);
  return op as Op;
});
const profileDir = args["cpu-prof"] === undefined ? undefined : resolve(args["cpu-prof"]);
const maxConcurrency = Math.max(...concurrencies);
const CLOCK_TICKS = 100;
/** A settle ends once the platform's CPU rate is back near idle, or after this long. */
const MAX_SETTLE_MS = 20_000;
/** The idle platform (four relays, consumers' fetches, saga recovery) spends 130–190 ms CPU per s on this machine. */
const QUIET_MS_PER_S = 350;

interface Measurement {
  op: Op;
  label: string;
  concurrency: number;
  opsPerS: number;
  latencyMs: ClosedLoopResult["latencyMs"];
  errors: number;
  firstError?: string;
  /** Operations completed while CPU was measured (the window plus those still running at its end). */
  completed: number;
  settleMs: number;
  cpuMsPerOp: CpuReading;
  cassandraPerOp: { statements: number; paxosWrites: number; reads: Record<string, number>; writes: Record<string, number>; scans: Record<string, number> };
  /** Cassandra's CPU ms per operation by thread group (idle subtracted per group). */
  cassandraThreadsMsPerOp: Record<string, number>;
  /** KiB the node's compactions read per operation over the window and settle: system.paxos, the rest; system.paxos on disk after, MiB. */
  compaction: { paxosKiBPerOp: number; otherKiBPerOp: number; paxosMiBAfter: number };
}

const log = (line: string) => console.log(`[e2e] ${line}`);

main(async () => {
  const storePids = await ensureDataStores(log);
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const nodeOptions = (profiled: boolean) => [args["node-options"], profiled ? `--cpu-prof --cpu-prof-dir=${profileDir}` : ""].filter(Boolean).join(" ");
  const env = Object.fromEntries(
    [...CONTEXTS, "gateway" as const].flatMap((name) => {
      const options = nodeOptions(profileDir !== undefined && (name === "catalog" || name === "gateway"));
      return options ? [[name, { NODE_OPTIONS: options }]] : [];
    }),
  );
  if (args["node-options"]) log(`every platform process runs with NODE_OPTIONS ${args["node-options"]}`);
  const platform: Platform = await startPlatform(log, { prefix: "be", env });
  let stopped = false;
  const stopPlatform = async () => {
    if (stopped) return;
    stopped = true;
    log(`stopping the platform, dropping namespace ${platform.namespace}`);
    await platform.stopAndDrop();
  };
  onCleanup(`platform ${platform.namespace}`, stopPlatform);
  const profiledPids = { catalog: platform.pid("catalog"), gateway: platform.pid("gateway") };

  const { client, keyspace } = await cassandraKeyspace("e2e");
  await client.execute(`CREATE TABLE ${keyspace}.raw_lwt (id uuid PRIMARY KEY, data text)`);
  const rawInsert = `INSERT INTO ${keyspace}.raw_lwt (id, data) VALUES (?, ?) IF NOT EXISTS`;
  const rawData = JSON.stringify(newProduct());
  const shortKeyspace = (name: string) => (name === keyspace ? "raw" : [...CONTEXTS, "gateway"].find((ctx) => name === `${ctx}_${platform.namespace}`));

  const api = restClient(platform.base, await platform.mintToken(), { idempotencyKeys: args["idempotency-keys"] });
  const targets = cpuTargets(platform, storePids);
  const cpuNow = () => readCpu(targets, CLOCK_TICKS);
  const cassandraThreadsNow = () => readThreadCpu(currentStorePid("cassandra", storePids.cassandra), CLOCK_TICKS);

  // Fixtures: each worker has products of its own, so no two requests contend on one stream.
  log(`fixtures for concurrency up to ${maxConcurrency}: products, stock, customers, ${fanout} orders per sync-rename product`);
  const renameProducts = ops.includes("rename-async") ? await createProducts(api, maxConcurrency) : [];
  const fanoutProducts = ops.includes("rename-sync") ? await createProducts(api, maxConcurrency) : [];
  const orderProducts = ops.some((op) => op.startsWith("order")) ? await createProducts(api, maxConcurrency) : [];
  await restock(api, [...fanoutProducts, ...orderProducts], 1_000_000);
  const customers = fanoutProducts.length + orderProducts.length > 0 ? await registerCustomers(api, maxConcurrency) : [];
  await inParallel(
    fanoutProducts.flatMap((productId, w) => Array.from({ length: fanout }, () => ({ productId, customerId: customers[w]! }))),
    8,
    ({ productId, customerId }) => placeOrderWhenKnown(api, customerId, productId),
  );
  for (const productId of orderProducts) await placeOrderWhenKnown(api, customers[0]!, productId);

  /**
   * Waits until the platform is quiet: two 1 s windows in a row in which it (all but this
   * process) spent at most QUIET_MS_PER_S — the work the fixtures left (choreography with its
   * retries, projections) is done. A rate that merely stops falling is not enough: a backlog
   * drained at a steady pace looks like that too.
   */
  const quiesce = async (maxMs = 120_000): Promise<boolean> => {
    const start = performance.now();
    let quiet = 0;
    while (quiet < 2 && performance.now() - start < maxMs) {
      const before = await cpuNow();
      await sleep(1_000);
      quiet = totalOf(cpuDelta(before, await cpuNow()), ["loadgen"]) <= QUIET_MS_PER_S ? quiet + 1 : 0;
    }
    return quiet >= 2;
  };

  /** Waits until the platform's CPU rate (all but this process) is back within reach of idle. */
  const settle = async (idleMsPerS: number): Promise<number> => {
    const start = performance.now();
    let previous = await cpuNow();
    let at = performance.now();
    let quiet = 0;
    while (performance.now() - start < MAX_SETTLE_MS) {
      await sleep(500);
      const now = await cpuNow();
      const rate = (totalOf(cpuDelta(previous, now), ["loadgen"]) * 1000) / (performance.now() - at);
      quiet = rate <= idleMsPerS * 1.5 + 30 ? quiet + 1 : 0;
      if (quiet >= 2) break;
      previous = now;
      at = performance.now();
    }
    return performance.now() - start;
  };

  log(`waiting until the fixtures' work is done, then measuring idle CPU for ${idleWindowMs / 1000} s`);
  if (!(await quiesce()))
    log(`the platform did not get below ${QUIET_MS_PER_S} ms CPU per s in 2 min: idle is measured anyway, and every per-operation figure is off by its excess`);
  const [idleStart, idleCounters0, idleThreads0] = await Promise.all([cpuNow(), readCassandraCounters(client, shortKeyspace), cassandraThreadsNow()]);
  const idleT0 = performance.now();
  await sleep(idleWindowMs);
  const idleMs = performance.now() - idleT0;
  const [idleEnd, idleCounters1, idleThreads1] = await Promise.all([cpuNow(), readCassandraCounters(client, shortKeyspace), cassandraThreadsNow()]);
  const idleThreadsPerS = Object.fromEntries(Object.entries(threadCpuDelta(idleThreads0, idleThreads1)).map(([group, ms]) => [group, (ms * 1000) / idleMs]));
  const idlePerS = Object.fromEntries(Object.entries(cpuDelta(idleStart, idleEnd)).map(([name, ms]) => [name, (ms * 1000) / idleMs]));
  const idleTotalPerS = totalOf(idlePerS, ["loadgen"]);
  log(
    `idle: ${fmt(idleTotalPerS)} ms CPU per s (${Object.entries(idlePerS)
      .map(([n, v]) => `${n} ${fmt(v)}`)
      .join(", ")})`,
  );
  // The idle platform's own Cassandra work, exact (its keyspaces only): relay polls, leases, fetches.
  const idleCassandra = countersDelta(idleCounters0, idleCounters1);
  const perSecond = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([table, n]) => `${table} ${fmt((n * 1000) / idleMs, 2)}`)
      .join(", ");
  const idleCassandraLine =
    `idle Cassandra per s (this platform's keyspaces): reads ${perSecond(idleCassandra.reads) || "none"}; writes ${perSecond(idleCassandra.writes) || "none"}; ` +
    `Paxos writes (whole node) ${fmt((idleCassandra.paxosWrites * 1000) / idleMs, 2)}; system.paxos on disk ${fmt(idleCassandra.paxosMiB)} MiB`;
  log(idleCassandraLine);

  const seq = { n: 0 };
  const opFor = (op: Op): ((worker: number) => Promise<void>) => {
    switch (op) {
      case "raw-lwt":
        return async () => {
          const result = await client.execute(rawInsert, [cassandra.types.Uuid.random(), rawData], {
            prepare: true,
            consistency: cassandra.types.consistencies.localQuorum,
            serialConsistency: cassandra.types.consistencies.localSerial,
          });
          if (!result.wasApplied()) throw new Error("raw LWT not applied");
        };
      case "create":
        return async () => void (await api.post("/v1/products", newProduct(), [201]));
      case "rename-async":
        return async (w) => void (await api.post(`/v1/products/${renameProducts[w]}/rename`, { name: `Bench lamp renamed ${seq.n++}` }, [200]));
      case "rename-sync":
        return async (w) => void (await api.post(`/v1/products/${fanoutProducts[w]}/rename?propagation=sync`, { name: `Bench lamp synced ${seq.n++}` }, [200]));
      case "order-async":
        return async (w) => void (await api.post("/v1/orders", { customerId: customers[w], lines: [{ productId: orderProducts[w], quantity: 1 }] }, [202]));
      case "order-sync":
        return async (w) =>
          void (await api.post("/v1/orders?flow=sync", { customerId: customers[w], lines: [{ productId: orderProducts[w], quantity: 1 }] }, [201]));
    }
  };

  const measure = async (op: Op, concurrency: number): Promise<Measurement> => {
    const run = opFor(op);
    if (warmupMs > 0) await runLoop({ label: op, concurrency, durationMs: warmupMs, op: run });
    await settle(idleTotalPerS);
    let completed = 0;
    const counted = async (w: number) => {
      await run(w);
      completed += 1;
    };
    const [cpu0, counters0, threads0] = await Promise.all([cpuNow(), readCassandraCounters(client, shortKeyspace), cassandraThreadsNow()]);
    const t0 = performance.now();
    const loop = await runLoop({ label: op, concurrency, durationMs, op: counted });
    // Work the operations left behind (events to project, reactions, choreography) counts too.
    const settleMs = await settle(idleTotalPerS);
    const [cpu1, counters1, threads1] = await Promise.all([cpuNow(), readCassandraCounters(client, shortKeyspace), cassandraThreadsNow()]);
    const windowMs = performance.now() - t0;
    const spent = cpuDelta(cpu0, cpu1);
    // What the operations cost: the window's CPU less what the idle platform spends in as long.
    const cpuMsPerOp = Object.fromEntries(
      PROCESSES.map((name) => [name, Math.max(0, (spent[name] ?? 0) - ((idlePerS[name] ?? 0) * windowMs) / 1000) / Math.max(1, completed)]),
    );
    const counters: CassandraCounters = countersDelta(counters0, counters1);
    const cassandraThreadsMsPerOp = Object.fromEntries(
      Object.entries(threadCpuDelta(threads0, threads1)).map(([group, ms]) => [
        group,
        Math.max(0, ms - ((idleThreadsPerS[group] ?? 0) * windowMs) / 1000) / Math.max(1, completed),
      ]),
    );
    const per = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / Math.max(1, completed)]));
    const m: Measurement = {
      op,
      label: LABELS[op],
      concurrency,
      opsPerS: loop.opsPerS,
      latencyMs: loop.latencyMs,
      errors: loop.errors,
      ...(loop.firstError ? { firstError: loop.firstError } : {}),
      completed,
      settleMs,
      cpuMsPerOp,
      cassandraPerOp: {
        statements: counters.statements / Math.max(1, completed),
        paxosWrites: counters.paxosWrites / Math.max(1, completed),
        reads: per(counters.reads),
        writes: per(counters.writes),
        scans: per(counters.scans),
      },
      cassandraThreadsMsPerOp,
      compaction: {
        paxosKiBPerOp: counters.compactedPaxosBytes / 1024 / Math.max(1, completed),
        otherKiBPerOp: counters.compactedOtherBytes / 1024 / Math.max(1, completed),
        paxosMiBAfter: counters.paxosMiB,
      },
    };
    log(
      `${op} c=${concurrency}: ${fmt(m.opsPerS)}/s p50 ${fmt(m.latencyMs.p50)} ms p99 ${fmt(m.latencyMs.p99)} ms, ${fmt(totalOf(cpuMsPerOp))} ms CPU/op (Cassandra ${fmt(cpuMsPerOp.cassandra!)}), ` +
        `${fmt(m.cassandraPerOp.statements)} statements/op, settle ${fmt(settleMs / 1000)} s${m.errors ? `, ${m.errors} errors (${m.firstError})` : ""}`,
    );
    return m;
  };

  const results: Measurement[] = [];
  for (const op of ops) for (const concurrency of concurrencies) results.push(await measure(op, concurrency));
  await stopPlatform();

  const raw = (c: number) => results.find((r) => r.op === "raw-lwt" && r.concurrency === c);
  const lines: string[] = [];
  const out = (line = "") => {
    console.log(line);
    lines.push(line);
  };
  const table = (headers: string[], rows: (string | number)[][]) => {
    const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)));
    out(`| ${headers.join(" | ")} |`);
    out(`| ${headers.map(() => "---").join(" | ")} |`);
    for (const r of cells) out(`| ${r.join(" | ")} |`);
  };
  out(
    `\n### ${args.label}: throughput and latency (${ratePerS === undefined ? "closed loop" : `open loop at ${ratePerS}/s`}, ${durationMs / 1000} s per cell after ${warmupMs / 1000} s warm-up)\n`,
  );
  table(
    ["operation", "c", "ops/s", "p50 ms", "p99 ms", "errors", "ops/s ÷ raw LWT"],
    results.map((r) => [
      r.label,
      r.concurrency,
      r.opsPerS,
      r.latencyMs.p50,
      r.latencyMs.p99,
      r.errors,
      raw(r.concurrency) ? fmt(r.opsPerS / raw(r.concurrency)!.opsPerS) : "n/a",
    ]),
  );
  out(
    `\n### ${args.label}: CPU ms per operation, per process (/proc utime+stime over the window and the settle after it, less the idle rate; stores as whole process trees)\n`,
  );
  table(
    ["operation", "c", ...PROCESSES, "total", "Cassandra ÷ raw LWT's"],
    results.map((r) => {
      const base = raw(r.concurrency)?.cpuMsPerOp.cassandra;
      return [
        r.label,
        r.concurrency,
        ...PROCESSES.map((p) => fmt(r.cpuMsPerOp[p]!, 2)),
        fmt(totalOf(r.cpuMsPerOp), 2),
        base ? fmt(r.cpuMsPerOp.cassandra! / base) : "n/a",
      ];
    }),
  );
  out(`\nidle (no load, same run), ms CPU per second: ${PROCESSES.map((p) => `${p} ${fmt(idlePerS[p]!)}`).join(", ")}; total ${fmt(idleTotalPerS)}`);
  out(`\n${idleCassandraLine}`);
  out(`\n### ${args.label}: Cassandra per operation (node counters: statements of every client; reads/writes coordinated per table of this run's keyspaces)\n`);
  const perTable = (r: Measurement) =>
    [...new Set([...Object.keys(r.cassandraPerOp.reads), ...Object.keys(r.cassandraPerOp.writes), ...Object.keys(r.cassandraPerOp.scans)])]
      .sort()
      .map((t) => {
        const parts = [
          ["r", r.cassandraPerOp.reads[t]],
          ["w", r.cassandraPerOp.writes[t]],
          ["scan", r.cassandraPerOp.scans[t]],
        ].filter(([, v]) => v && (v as number) >= 0.005);
        return parts.length ? `${t} ${parts.map(([k, v]) => `${k}${fmt(v as number, 2)}`).join(" ")}` : "";
      })
      .filter(Boolean)
      .join("; ");
  table(
    [
      "operation",
      "c",
      "statements",
      "system.paxos writes",
      "compacted KiB: system.paxos / other tables (system.paxos MiB after)",
      "per table (r = reads, w = writes, scan = range scans)",
    ],
    results.map((r) => [
      r.label,
      r.concurrency,
      fmt(r.cassandraPerOp.statements, 2),
      fmt(r.cassandraPerOp.paxosWrites, 2),
      `${fmt(r.compaction.paxosKiBPerOp, 1)} / ${fmt(r.compaction.otherKiBPerOp, 1)} (${fmt(r.compaction.paxosMiBAfter)})`,
      perTable(r),
    ]),
  );
  // Where Cassandra's CPU per operation went, by thread group: the groups that took most, in order.
  const groups = [
    ...new Set(
      results.flatMap((r) =>
        Object.entries(r.cassandraThreadsMsPerOp)
          .filter(([, ms]) => ms >= 0.01)
          .map(([group]) => group),
      ),
    ),
  ].sort((a, b) => Math.max(...results.map((r) => r.cassandraThreadsMsPerOp[b] ?? 0)) - Math.max(...results.map((r) => r.cassandraThreadsMsPerOp[a] ?? 0)));
  out(
    `\n### ${args.label}: Cassandra's CPU ms per operation by thread group (/proc/<pid>/task, idle subtracted per group; \`java\`: the JVM's own threads, garbage collection and JIT)\n`,
  );
  table(
    ["operation", "c", ...groups],
    results.map((r) => [r.label, r.concurrency, ...groups.map((group) => fmt(r.cassandraThreadsMsPerOp[group] ?? 0, 2))]),
  );

  const profiles: Record<string, ReturnType<typeof summarizeProfile>> = {};
  if (profileDir) {
    for (const [name, pid] of Object.entries(profiledPids)) {
      const profile = pid === undefined ? undefined : await readProfileOf(profileDir, pid);
      if (!profile) {
        out(`\nno CPU profile of ${name} (pid ${pid}) in ${profileDir}`);
        continue;
      }
      const summary = summarizeProfile(profile);
      profiles[name] = summary;
      out(`\n### ${args.label}: where ${name}'s CPU went (--cpu-prof over its whole life, setup included; ${fmt(summary.busyMs)} ms busy)\n`);
      table(
        ["by origin", "self ms", "share"],
        summary.byOrigin.map((s) => [s.what, s.ms, `${fmt(100 * s.share, 1)} %`]),
      );
      out();
      table(
        ["by function", "self ms", "share"],
        summary.byFunction.map((s) => [s.what.replace(/\|/g, "\\|"), s.ms, `${fmt(100 * s.share, 1)} %`]),
      );
    }
  }
  const file = await saveResult(args.label, {
    command: `npm run bench -- e2e ${process.argv.slice(2).join(" ")}`.trim(),
    concurrencies,
    durationMs,
    warmupMs,
    fanout,
    thinkMs,
    ...(ratePerS === undefined ? {} : { ratePerS }),
    idempotencyKeys: args["idempotency-keys"],
    namespace: platform.namespace,
    idleCpuMsPerS: idlePerS,
    idleCassandraPerS: { windowMs: idleMs, ...idleCassandra },
    results,
    profiles,
  });
  await writeFile(`${RESULTS_DIR}/${args.label}-latest.md`, `${lines.join("\n")}\n`);
  console.log(`figures saved to ${file} and ${RESULTS_DIR}/${args.label}-latest.md`);
});
