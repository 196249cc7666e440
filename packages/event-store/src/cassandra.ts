import cassandra from "cassandra-driver";

export interface CassandraSettings {
  contactPoints: string[];
  localDataCenter: string;
  /** Replication of keyspaces this process creates; 1 on a single local node. */
  replicationFactor: number;
  username?: string | undefined;
  password?: string | undefined;
  /**
   * How long one request may wait for Cassandra (default 4 s): below the gateway's request
   * budget (5 s), so a hung node answers as a timeout in time, not after the caller gave up.
   */
  readTimeoutMs?: number;
}

/**
 * The driver's options. Every statement runs at LOCAL_QUORUM unless it says otherwise, and every
 * lightweight transaction (`IF …`: appends, claims, idempotency keys, saga log, relay lease) at
 * LOCAL_SERIAL — with replication factor 3, an acknowledged write is on two replicas and an LWT
 * is decided by a Paxos majority, so one node may die without losing or reversing either.
 */
export const cassandraClientOptions = (settings: CassandraSettings): cassandra.DseClientOptions => ({
  contactPoints: settings.contactPoints,
  localDataCenter: settings.localDataCenter,
  ...(settings.username
    ? { credentials: { username: settings.username, password: settings.password ?? "" } }
    : {}),
  queryOptions: { consistency: cassandra.types.consistencies.localQuorum, serialConsistency: cassandra.types.consistencies.localSerial },
  socketOptions: { readTimeout: settings.readTimeoutMs ?? 4_000 },
  // Back soon after an outage: the default policy waits up to 10 minutes between attempts.
  policies: { reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(250, 2_000, false) },
});

/** Connects without a keyspace: services qualify table names with their own keyspace. */
export const connectCassandra = async (settings: CassandraSettings): Promise<cassandra.Client> => {
  const client = new cassandra.Client(cassandraClientOptions(settings));
  await client.connect();
  return client;
};

/** Creates a service's keyspace if missing. Keyspaces are per service: no one reads another's. */
export const ensureKeyspace = async (
  client: cassandra.Client,
  keyspace: string,
  replicationFactor: number,
): Promise<void> => {
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(keyspace)) throw new Error(`invalid keyspace name: ${keyspace}`);
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace}
     WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`,
  );
};
