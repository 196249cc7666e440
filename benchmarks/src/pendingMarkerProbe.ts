/**
 * What Cassandra's storage-attached indexes (SAI) offer a pending marker kept in the stream's own
 * partition (docs/benchmarks.md §5f, DESIGN §9's plan), on the running node, in a throwaway
 * keyspace: which restrictions on a static column and on a static map it accepts, whether a
 * conditional batch may set the marker, and what the relay's discovery query costs: it reads
 * every stream whose indexed time is in its range, pending or not — and an index entry outlives
 * even a deleted value until the memtable is flushed, so a discovery column cannot be "cleared"
 * out of the index's way either.
 *
 *   node benchmarks/dist/pendingMarkerProbe.js [--streams 1000,10000] (a second step reads the first's streams too) [--rounds 5]
 */
import { connectCassandra, ensureKeyspace } from "@bazaar/event-store";
import { stack, uniqueName } from "@bazaar/testing";
import cassandra from "cassandra-driver";
import { benchArgs } from "./lib/args.js";
import { main, onCleanup } from "./lib/stack.js";
import { fmt, printTable } from "./lib/table.js";

const { Long } = cassandra.types;
const args = benchArgs(["streams", "rounds"]);
const sizes = args.list("streams", [1000, 10000]);
const rounds = args.number("rounds", 5);

main(async () => {
  const client = await connectCassandra(stack.cassandra);
  onCleanup("cassandra client", () => client.shutdown());
  const keyspace = uniqueName("marker_probe");
  await ensureKeyspace(client, keyspace, 1);
  onCleanup(`keyspace ${keyspace}`, () => client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`));
  const table = `${keyspace}.events`;
  await client.execute(
    `CREATE TABLE ${table} (stream_id text, version bigint, data text, head bigint static,
       pending map<bigint, int> static, pending_at timestamp static, PRIMARY KEY ((stream_id), version))`,
  );

  const attempt = async (what: string, query: string, params: unknown[] = []) => {
    try {
      await client.execute(query, params, { prepare: true });
      return [what, "accepted"];
    } catch (error) {
      return [what, `refused: ${(error as Error).message}`];
    }
  };
  const since = new Date(Date.now() - 60_000);
  const capabilities = [
    await attempt("SAI on a static scalar (pending_at)", `CREATE INDEX ON ${table} (pending_at) USING 'sai'`),
    await attempt("SAI on a static map's keys", `CREATE INDEX ON ${table} (KEYS(pending)) USING 'sai'`),
    await attempt("SAI on a static map's values", `CREATE INDEX ON ${table} (VALUES(pending)) USING 'sai'`),
    await attempt("range on the static scalar", `SELECT DISTINCT stream_id, pending FROM ${table} WHERE pending_at > ?`, [since]),
    await attempt("map CONTAINS KEY", `SELECT stream_id FROM ${table} WHERE pending CONTAINS KEY ?`, [Long.fromNumber(1)]),
    await attempt("map CONTAINS (a value)", `SELECT stream_id FROM ${table} WHERE pending CONTAINS ?`, [1]),
    await attempt("range on map values", `SELECT stream_id FROM ${table} WHERE pending > ?`, [{ 1: 1 }]),
    await attempt("IS NOT NULL (any marker)", `SELECT stream_id FROM ${table} WHERE pending_at IS NOT NULL`),
  ];
  try {
    const batch = await client.batch(
      [
        {
          query: `UPDATE ${table} SET head = ?, pending = pending + ?, pending_at = currentTimestamp() WHERE stream_id = ? IF head = null`,
          params: [Long.fromNumber(1), { 1: 1 }, "probe"],
        },
        { query: `INSERT INTO ${table} (stream_id, version, data) VALUES (?, ?, ?)`, params: ["probe", Long.fromNumber(1), "x"] },
      ],
      { prepare: true },
    );
    capabilities.push([
      "the marker inside the stream's conditional batch (coordinator's currentTimestamp())",
      batch.wasApplied() ? "accepted, applied" : "accepted, not applied",
    ]);
  } catch (error) {
    capabilities.push(["the marker inside the stream's conditional batch", `refused: ${(error as Error).message}`]);
  }
  printTable(["what", "Cassandra 5.0 SAI on this node"], capabilities);

  // The relay's discovery query, against N streams marked within the last minute: all still
  // pending, then all cleared (the fast path's one delete per command) — plain writes here, the
  // index sees the same cells an LWT writes.
  const discover = `SELECT DISTINCT stream_id, pending FROM ${table} WHERE pending_at > ?`;
  const timeQuery = async () => {
    const times: number[] = [];
    let found = 0;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      found = (await client.execute(discover, [since], { prepare: true, fetchSize: 100_000 })).rows.filter((row) => row.get("pending")).length;
      times.push(performance.now() - t0);
    }
    return { ms: times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!, found };
  };
  const results: (string | number)[][] = [];
  let marked = 0;
  for (const n of sizes) {
    const ids = Array.from({ length: n }, (_, i) => `n${n}-${i}`);
    const each = async (query: string, params: (id: string) => unknown[]) => {
      for (let i = 0; i < ids.length; i += 100) await Promise.all(ids.slice(i, i + 100).map((id) => client.execute(query, params(id), { prepare: true })));
    };
    await each(`UPDATE ${table} SET pending = pending + ?, pending_at = currentTimestamp() WHERE stream_id = ?`, (id) => [{ 1: 1 }, id]);
    const live = await timeQuery();
    await each(`DELETE pending[?] FROM ${table} WHERE stream_id = ?`, (id) => [Long.fromNumber(1), id]);
    const cleared = await timeQuery();
    // Were the time cleared too (it cannot be: another command of the stream may be pending),
    // the index would still hold its entries until the memtable is flushed.
    await each(`DELETE pending_at FROM ${table} WHERE stream_id = ?`, (id) => [id]);
    const timeDeleted = await timeQuery();
    marked += n;
    results.push([marked, live.found, fmt(live.ms, 1), cleared.found, fmt(cleared.ms, 1), fmt(timeDeleted.ms, 1)]);
  }
  console.log();
  printTable(
    [
      "streams marked so far (each step adds its own)",
      "still pending: found",
      "query ms (median)",
      "markers cleared: found",
      "query ms (median)",
      "pending_at deleted too: query ms",
    ],
    results,
  );
});
