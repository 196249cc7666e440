import { randomUUID } from "node:crypto";
import { hashString } from "@bazaar/core";
import cassandra from "cassandra-driver";
import { serialConsistencyOf } from "../cassandra.js";
import { keepPaxosStateShort, shortPaxosRetention } from "../paxosRetention.js";

const { Long } = cassandra.types;

/** Pending rows are spread over shards and minute buckets so no partition grows without bound. */
export const OUTBOX_SHARDS = 8;
/** Deletes per clearing batch: ~100 bytes each, under Cassandra's batch size warning (5 KiB). */
const CLEAR_BATCH_ROWS = 32;
const chunksOf =
  (size: number) =>
  <T>(rows: T[]): T[][] =>
    Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));
/** Pending rows, one per append attempt (the earlier `publication_pending`, keyed without the attempt, is no longer used). */
export const OUTBOX_TABLE = "publication_attempts";
const TABLE = OUTBOX_TABLE;
export const BUCKET_MS = 60_000;

export interface PendingPublication {
  shard: number;
  bucket: number;
  streamId: string;
  firstVersion: number;
  /** How many events the command appends: the row covers versions first … first + count − 1. */
  count: number;
  /**
   * The append attempt the row belongs to. Two attempts at the same versions (one wins, one
   * gets a concurrency error) must not share a row: the loser clearing "its" row would take
   * the winner's with it, and a winner that dies before publishing would then never be published.
   */
  attempt: string;
  createdAt: Date;
}

/**
 * What the reliable publisher records around an append: a pending row for exactly the versions
 * the command appends, written before the append and cleared once they are published. Anything
 * left pending is the relay's to finish. (No per-stream "published up to" cursor: a later
 * command's publish would move it past an earlier command that was stored but never published.)
 */
export interface Outbox {
  markPending(streamId: string, firstVersion: number, count: number, at: Date): Promise<PendingPublication>;
  /** Clears published rows; rows of one partition go in one (unlogged, single-partition) batch. */
  clearPending(pending: readonly PendingPublication[]): Promise<void>;
  pendingIn(bucket: number, shard: number): Promise<PendingPublication[]>;
  /** The oldest bucket that may still hold pending rows: the relay's persisted low-water mark. */
  lowWater(): Promise<number>;
  /** Moves the low-water mark from `from` to `to` (compare-and-set); false if it had moved. */
  advanceLowWater(from: number, to: number): Promise<boolean>;
  /** Takes or renews the relay lease for `ttlMs`; false while another owner holds it. */
  holdLease(owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(owner: string): Promise<void>;
}

export const bucketOf = (at: Date | number): number => Math.floor(Number(at) / BUCKET_MS);

/** A stable shard per stream across processes and restarts (rows keep theirs: the relay reads every shard). */
export const shardOf = (streamId: string): number => hashString(streamId) % OUTBOX_SHARDS;

export const createCassandraOutbox = (client: cassandra.Client, keyspace: string): Outbox => {
  const options = { prepare: true };
  return {
    async markPending(streamId, firstVersion, count, at) {
      const pending = { shard: shardOf(streamId), bucket: bucketOf(at), streamId, firstVersion, count, attempt: randomUUID(), createdAt: at };
      await client.execute(
        `INSERT INTO ${keyspace}.${TABLE} (shard, bucket, stream_id, first_version, attempt, event_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [pending.shard, Long.fromNumber(pending.bucket), streamId, Long.fromNumber(firstVersion), pending.attempt, count, at],
        options,
      );
      return pending;
    },
    async clearPending(pending) {
      const byPartition = Map.groupBy(pending, (row) => `${row.shard}:${row.bucket}`);
      const remove = `DELETE FROM ${keyspace}.${TABLE} WHERE shard = ? AND bucket = ? AND stream_id = ? AND first_version = ? AND attempt = ?`;
      await Promise.all(
        [...byPartition.values()].flatMap(chunksOf(CLEAR_BATCH_ROWS)).map((rows) =>
          client.batch(
            rows.map((row) => ({
              query: remove,
              params: [row.shard, Long.fromNumber(row.bucket), row.streamId, Long.fromNumber(row.firstVersion), row.attempt],
            })),
            { ...options, logged: false },
          ),
        ),
      );
    },
    async lowWater() {
      const row = (
        await client.execute(`SELECT low_water FROM ${keyspace}.publication_relay WHERE id = 'relay'`, [], {
          ...options,
          consistency: serialConsistencyOf(client),
        })
      ).first();
      if (!row) throw new Error(`${keyspace}.publication_relay has no low-water mark (run ensureOutboxSchema)`);
      return (row.get("low_water") as cassandra.types.Long).toNumber();
    },
    async advanceLowWater(from, to) {
      const result = await client.execute(
        `UPDATE ${keyspace}.publication_relay SET low_water = ? WHERE id = 'relay' IF low_water = ?`,
        [Long.fromNumber(to), Long.fromNumber(from)],
        options,
      );
      return result.wasApplied();
    },
    async holdLease(owner, ttlMs) {
      const ttl = Math.max(1, Math.ceil(ttlMs / 1000));
      const renewed = await client.execute(
        `UPDATE ${keyspace}.publication_relay_lease USING TTL ? SET owner = ? WHERE id = 'relay' IF owner = ?`,
        [ttl, owner, owner],
        options,
      );
      if (renewed.wasApplied()) return true;
      const taken = await client.execute(
        `INSERT INTO ${keyspace}.publication_relay_lease (id, owner) VALUES ('relay', ?) IF NOT EXISTS USING TTL ?`,
        [owner, ttl],
        options,
      );
      return taken.wasApplied();
    },
    async releaseLease(owner) {
      await client.execute(`DELETE FROM ${keyspace}.publication_relay_lease WHERE id = 'relay' IF owner = ?`, [owner], options);
    },
    async pendingIn(bucket, shard) {
      const result = await client.execute(
        `SELECT stream_id, first_version, attempt, event_count, created_at FROM ${keyspace}.${TABLE} WHERE shard = ? AND bucket = ?`,
        [shard, Long.fromNumber(bucket)],
        options,
      );
      return result.rows.map((row) => ({
        shard,
        bucket,
        streamId: row.get("stream_id") as string,
        firstVersion: (row.get("first_version") as cassandra.types.Long).toNumber(),
        attempt: String(row.get("attempt")),
        count: row.get("event_count") as number,
        createdAt: row.get("created_at") as Date,
      }));
    },
  };
};

export const ensureOutboxSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  // Rows live for seconds; a short gc_grace lets their tombstones go soon. A resurrected row
  // (the risk of a short gc_grace) only makes the relay check a stream that is already published.
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.${TABLE} (
      shard int, bucket bigint, stream_id text, first_version bigint, attempt uuid, event_count int, created_at timestamp,
      PRIMARY KEY ((shard, bucket), stream_id, first_version, attempt)
    ) WITH gc_grace_seconds = 3600`,
  );
  // The relay's state: the oldest bucket it must still look at, set once when the keyspace is
  // new (no row can be older), and a lease so that one relay per context does the work. Both
  // change by LWTs and delete nothing that outlives its TTL: the short Paxos retention.
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.publication_relay (id text PRIMARY KEY, low_water bigint) WITH ${shortPaxosRetention}`);
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.publication_relay_lease (id text PRIMARY KEY, owner text) WITH ${shortPaxosRetention}`);
  await keepPaxosStateShort(client, keyspace, "publication_relay");
  await keepPaxosStateShort(client, keyspace, "publication_relay_lease");
  await client.execute(`INSERT INTO ${keyspace}.publication_relay (id, low_water) VALUES ('relay', ?) IF NOT EXISTS`, [Long.fromNumber(bucketOf(Date.now()))], {
    prepare: true,
  });
};
