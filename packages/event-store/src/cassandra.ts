import cassandra from "cassandra-driver";

export interface CassandraSettings {
  contactPoints: string[];
  localDataCenter: string;
  /** Replication of keyspaces this process creates; 1 on a single local node. */
  replicationFactor: number;
  username?: string | undefined;
  password?: string | undefined;
}

/** Connects without a keyspace: services qualify table names with their own keyspace. */
export const connectCassandra = async (settings: CassandraSettings): Promise<cassandra.Client> => {
  const client = new cassandra.Client({
    contactPoints: settings.contactPoints,
    localDataCenter: settings.localDataCenter,
    ...(settings.username
      ? { credentials: { username: settings.username, password: settings.password ?? "" } }
      : {}),
    queryOptions: { consistency: cassandra.types.consistencies.localQuorum },
  });
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
