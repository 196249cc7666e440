import cassandra from "cassandra-driver";

/** An aggregate's state at a version, so loading it need not fold the whole stream. */
export interface Snapshot {
  version: number;
  /** The state's shape version: a snapshot of another shape is ignored, never misread. */
  schema: number;
  state: unknown;
}

export interface SnapshotStore {
  load(streamId: string): Promise<Snapshot | undefined>;
  /** Keeps the newest snapshot per stream; an older one never replaces a newer one. */
  save(streamId: string, snapshot: Snapshot): Promise<void>;
}

export const createMemorySnapshotStore = (): SnapshotStore => {
  const snapshots = new Map<string, Snapshot>();
  return {
    async load(streamId) {
      const snapshot = snapshots.get(streamId);
      return snapshot && structuredClone(snapshot);
    },
    async save(streamId, snapshot) {
      const current = snapshots.get(streamId);
      if (!current || current.version < snapshot.version) snapshots.set(streamId, structuredClone(snapshot));
    },
  };
};

export const createCassandraSnapshotStore = (client: cassandra.Client, keyspace: string): SnapshotStore => ({
  async load(streamId) {
    const row = (
      await client.execute(`SELECT version, state_schema, state FROM ${keyspace}.snapshots WHERE stream_id = ?`, [streamId], { prepare: true })
    ).first();
    if (!row) return undefined;
    return {
      version: (row.get("version") as cassandra.types.Long).toNumber(),
      schema: row.get("state_schema") as number,
      state: JSON.parse(row.get("state") as string),
    };
  },
  async save(streamId, snapshot) {
    // The write timestamp is the version: last-write-wins then means newest-version-wins.
    await client.execute(
      `INSERT INTO ${keyspace}.snapshots (stream_id, version, state_schema, state) VALUES (?, ?, ?, ?) USING TIMESTAMP ?`,
      [
        streamId,
        cassandra.types.Long.fromNumber(snapshot.version),
        snapshot.schema,
        JSON.stringify(snapshot.state),
        cassandra.types.Long.fromNumber(snapshot.version),
      ],
      { prepare: true },
    );
  },
});

export const ensureSnapshotSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.snapshots (stream_id text PRIMARY KEY, version bigint, state_schema int, state text)`);
};
