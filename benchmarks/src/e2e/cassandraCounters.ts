import type cassandra from "cassandra-driver";

/**
 * Cassandra's own per-table counters (virtual tables of 5.0): how many reads, writes and range
 * scans each table of the platform's keyspaces coordinated, and how many statements the node
 * executed. A difference of two snapshots says what a window of operations cost in statements.
 */
export interface CassandraCounters {
  /** `<keyspace-without-namespace>.<table>` → count, per kind. */
  reads: Record<string, number>;
  writes: Record<string, number>;
  scans: Record<string, number>;
  /** Local writes and reads of system.paxos: Paxos rounds' own bookkeeping (the whole node). */
  paxosWrites: number;
  paxosReads: number;
  /** Statements the node executed (prepared + regular), from every client on the machine. */
  statements: number;
  /**
   * Bytes the node's finished compactions read (system.compaction_history, kept a week), split
   * into system.paxos (the LWTs' own state) and every other table: in a delta, what the window
   * made the node rewrite — a share of Cassandra's CPU no statement count shows.
   */
  compactedPaxosBytes: number;
  compactedOtherBytes: number;
  /** system.paxos on disk (system_views.disk_usage), MiB: a level, not a count (a delta keeps the later). */
  paxosMiB: number;
}

const perTable = async (client: cassandra.Client, view: string, keyspaces: (name: string) => string | undefined): Promise<Record<string, number>> => {
  const rows = (await client.execute(`SELECT keyspace_name, table_name, count FROM system_views.${view}`)).rows;
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const short = keyspaces(row.get("keyspace_name") as string);
    if (short === undefined) continue;
    const n = Number(row.get("count"));
    if (n > 0) counts[`${short}.${row.get("table_name") as string}`] = n;
  }
  return counts;
};

/** `keyspaces` maps a keyspace name to its short name (e.g. catalog_<ns> → catalog), or undefined to skip it. */
export const readCassandraCounters = async (client: cassandra.Client, keyspaces: (name: string) => string | undefined): Promise<CassandraCounters> => {
  const [reads, writes, scans, localWrites, localReads, metrics, compactions, paxosDisk] = await Promise.all([
    perTable(client, "coordinator_read_latency", keyspaces),
    perTable(client, "coordinator_write_latency", keyspaces),
    perTable(client, "coordinator_scan_latency", keyspaces),
    perTable(client, "local_write_latency", (k) => (k === "system" ? "system" : undefined)),
    perTable(client, "local_read_latency", (k) => (k === "system" ? "system" : undefined)),
    client.execute("SELECT name, value FROM system_views.cql_metrics"),
    client.execute("SELECT keyspace_name, columnfamily_name, bytes_in FROM system.compaction_history", [], { fetchSize: 100_000 }),
    client.execute("SELECT mebibytes FROM system_views.disk_usage WHERE keyspace_name = 'system' AND table_name = 'paxos'"),
  ]);
  const isPaxos = (row: cassandra.types.Row) => row.get("keyspace_name") === "system" && row.get("columnfamily_name") === "paxos";
  const compacted = (rows: cassandra.types.Row[]) => rows.reduce((sum, row) => sum + Number(row.get("bytes_in") ?? 0), 0);
  const metric = (name: string) => Number(metrics.rows.find((r) => r.get("name") === name)?.get("value") ?? 0);
  return {
    reads,
    writes,
    scans,
    paxosWrites: localWrites["system.paxos"] ?? 0,
    paxosReads: localReads["system.paxos"] ?? 0,
    statements: metric("prepared_statements_executed") + metric("regular_statements_executed"),
    compactedPaxosBytes: compacted(compactions.rows.filter(isPaxos)),
    compactedOtherBytes: compacted(compactions.rows.filter((row) => !isPaxos(row))),
    paxosMiB: Number(paxosDisk.first()?.get("mebibytes") ?? 0),
  };
};

const diff = (from: Record<string, number>, to: Record<string, number>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(to)) if (v - (from[k] ?? 0) > 0) out[k] = v - (from[k] ?? 0);
  return out;
};

export const countersDelta = (from: CassandraCounters, to: CassandraCounters): CassandraCounters => ({
  reads: diff(from.reads, to.reads),
  writes: diff(from.writes, to.writes),
  scans: diff(from.scans, to.scans),
  paxosWrites: to.paxosWrites - from.paxosWrites,
  paxosReads: to.paxosReads - from.paxosReads,
  statements: to.statements - from.statements,
  compactedPaxosBytes: to.compactedPaxosBytes - from.compactedPaxosBytes,
  compactedOtherBytes: to.compactedOtherBytes - from.compactedOtherBytes,
  paxosMiB: to.paxosMiB,
});
