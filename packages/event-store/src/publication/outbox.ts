import cassandra from "cassandra-driver";

const { Long } = cassandra.types;

/** Pending rows are spread over shards and minute buckets so no partition grows without bound. */
export const OUTBOX_SHARDS = 8;
export const BUCKET_MS = 60_000;

export interface PendingPublication {
  shard: number;
  bucket: number;
  streamId: string;
  firstVersion: number;
  createdAt: Date;
}

/**
 * What the reliable publisher records around an append: a pending row before it, a per-stream
 * published-version cursor after the publish. Anything left pending is the relay's to finish.
 */
export interface Outbox {
  markPending(streamId: string, firstVersion: number, at: Date): Promise<PendingPublication>;
  clearPending(pending: PendingPublication): Promise<void>;
  /** Advances the stream's cursor; never moves it back (the write timestamp is the version). */
  markPublished(streamId: string, version: number): Promise<void>;
  publishedVersion(streamId: string): Promise<number>;
  pendingIn(bucket: number, shard: number): Promise<PendingPublication[]>;
}

export const bucketOf = (at: Date | number): number => Math.floor(Number(at) / BUCKET_MS);

/** FNV-1a: a stable shard per stream across processes and restarts. */
export const shardOf = (streamId: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) hash = Math.imul(hash ^ streamId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % OUTBOX_SHARDS;
};

export const createCassandraOutbox = (client: cassandra.Client, keyspace: string): Outbox => {
  const options = { prepare: true };
  return {
    async markPending(streamId, firstVersion, at) {
      const pending = { shard: shardOf(streamId), bucket: bucketOf(at), streamId, firstVersion, createdAt: at };
      await client.execute(
        `INSERT INTO ${keyspace}.publication_pending (shard, bucket, stream_id, first_version, created_at) VALUES (?, ?, ?, ?, ?)`,
        [pending.shard, Long.fromNumber(pending.bucket), streamId, Long.fromNumber(firstVersion), at],
        options,
      );
      return pending;
    },
    async clearPending(pending) {
      await client.execute(
        `DELETE FROM ${keyspace}.publication_pending WHERE shard = ? AND bucket = ? AND stream_id = ? AND first_version = ?`,
        [pending.shard, Long.fromNumber(pending.bucket), pending.streamId, Long.fromNumber(pending.firstVersion)],
        options,
      );
    },
    async markPublished(streamId, version) {
      await client.execute(
        `UPDATE ${keyspace}.publication_cursor USING TIMESTAMP ? SET published_version = ? WHERE stream_id = ?`,
        [Long.fromNumber(version), Long.fromNumber(version), streamId],
        options,
      );
    },
    async publishedVersion(streamId) {
      const row = (await client.execute(`SELECT published_version FROM ${keyspace}.publication_cursor WHERE stream_id = ?`, [streamId], options)).first();
      return row ? (row.get("published_version") as cassandra.types.Long).toNumber() : 0;
    },
    async pendingIn(bucket, shard) {
      const result = await client.execute(
        `SELECT stream_id, first_version, created_at FROM ${keyspace}.publication_pending WHERE shard = ? AND bucket = ?`,
        [shard, Long.fromNumber(bucket)],
        options,
      );
      return result.rows.map((row) => ({
        shard,
        bucket,
        streamId: row.get("stream_id") as string,
        firstVersion: (row.get("first_version") as cassandra.types.Long).toNumber(),
        createdAt: row.get("created_at") as Date,
      }));
    },
  };
};

export const ensureOutboxSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  // Rows live for seconds; a short gc_grace lets their tombstones go soon. A resurrected row
  // (the risk of a short gc_grace) only makes the relay check a stream that is already published.
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.publication_pending (
      shard int, bucket bigint, stream_id text, first_version bigint, created_at timestamp,
      PRIMARY KEY ((shard, bucket), stream_id, first_version)
    ) WITH gc_grace_seconds = 3600`,
  );
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.publication_cursor (stream_id text PRIMARY KEY, published_version bigint)`);
};
