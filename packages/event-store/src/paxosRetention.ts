import type cassandra from "cassandra-driver";

/**
 * How long Cassandra keeps the Paxos state of a table's lightweight transactions in
 * `system.paxos`: max(3 h, the table's gc_grace_seconds) — 10 days at the default gc_grace, both
 * under `paxos_state_purging: legacy` (a TTL on every Paxos write) and `gc_grace` (purged at
 * compaction). Every append is an LWT whose proposal and commit carry the whole batch, so at the
 * default a busy node holds ten days of them, and `system.paxos` (leveled compaction, random
 * keys) rewrites what it holds again and again as new state arrives: compaction became most of
 * Cassandra's CPU per command (docs/benchmarks.md §5l). Three hours is Cassandra's own floor.
 *
 * Only for tables that delete nothing (or only rows that expire anyway): gc_grace is also how long
 * a tombstone must wait for replicas that missed it, so a table whose deletes matter (claims,
 * idempotency keys) keeps the default.
 */
export const PAXOS_RETENTION_SECONDS = 3 * 3600;

/** The table option a CREATE TABLE of such a table ends with. */
export const shortPaxosRetention = `gc_grace_seconds = ${PAXOS_RETENTION_SECONDS}`;

/**
 * Gives a table made before this option (a keyspace from an older release) the short retention;
 * changes nothing (no schema change) when it has it already.
 */
export const keepPaxosStateShort = async (client: cassandra.Client, keyspace: string, table: string): Promise<void> => {
  const current = (
    await client.execute("SELECT gc_grace_seconds FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", [keyspace, table], { prepare: true })
  ).first();
  if (current?.get("gc_grace_seconds") === PAXOS_RETENTION_SECONDS) return;
  await client.execute(`ALTER TABLE ${keyspace}.${table} WITH ${shortPaxosRetention}`);
};
