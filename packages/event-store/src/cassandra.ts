import cassandra from "cassandra-driver";

export interface CassandraSettings {
  contactPoints: string[];
  localDataCenter: string;
  /** Replication of keyspaces this process creates; 1 on a single local node. */
  replicationFactor: number;
  username?: string | undefined;
  password?: string | undefined;
  /** Connect over TLS, trusting this CA (PEM). */
  tls?: { ca: string } | undefined;
  /** Statements' consistency (default LOCAL_QUORUM) and LWTs' (default LOCAL_SERIAL); never below a majority. */
  consistency?: "LOCAL_QUORUM" | "QUORUM" | "EACH_QUORUM" | "ALL";
  serialConsistency?: "LOCAL_SERIAL" | "SERIAL";
  /**
   * How long one request may wait for Cassandra (default 4 s): below the gateway's request
   * budget (5 s), so a hung node answers as a timeout in time, not after the caller gave up.
   */
  readTimeoutMs?: number;
}

const { consistencies } = cassandra.types;
const CONSISTENCY = { LOCAL_QUORUM: consistencies.localQuorum, QUORUM: consistencies.quorum, EACH_QUORUM: consistencies.eachQuorum, ALL: consistencies.all };
const SERIAL = { LOCAL_SERIAL: consistencies.localSerial, SERIAL: consistencies.serial };

/**
 * The driver's options. Every statement runs at LOCAL_QUORUM unless it says otherwise, and every
 * lightweight transaction (`IF …`: appends, claims, idempotency keys, saga log, relay lease) at
 * LOCAL_SERIAL — with replication factor 3, an acknowledged write is on two replicas and an LWT
 * is decided by a Paxos majority, so one node may die without losing or reversing either. A
 * deployment may ask for more (QUORUM, EACH_QUORUM, ALL; SERIAL), never for less.
 */
export const cassandraClientOptions = (settings: CassandraSettings): cassandra.DseClientOptions => ({
  contactPoints: settings.contactPoints,
  localDataCenter: settings.localDataCenter,
  ...(settings.username ? { credentials: { username: settings.username, password: settings.password ?? "" } } : {}),
  ...(settings.tls ? { sslOptions: { ca: [settings.tls.ca], rejectUnauthorized: true } } : {}),
  queryOptions: { consistency: CONSISTENCY[settings.consistency ?? "LOCAL_QUORUM"], serialConsistency: SERIAL[settings.serialConsistency ?? "LOCAL_SERIAL"] },
  socketOptions: { readTimeout: settings.readTimeoutMs ?? 4_000 },
  // Back soon after an outage: the default policy waits up to 10 minutes between attempts.
  policies: { reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(250, 2_000, false) },
});

/**
 * The level a read must use to see the outcome of every LWT decided before it (a linearizable
 * read): the client's serial consistency, as configured.
 */
export const serialConsistencyOf = (client: cassandra.Client): number => serialConsistencies.get(client) ?? consistencies.localSerial;
const serialConsistencies = new WeakMap<cassandra.Client, number>();
/** How each client of connectCassandra was made: what a login check of another role connects with. */
const clientOptions = new WeakMap<cassandra.Client, cassandra.ClientOptions>();

/** Connects without a keyspace: services qualify table names with their own keyspace. */
export const connectCassandra = async (settings: CassandraSettings): Promise<cassandra.Client> => {
  const options = cassandraClientOptions(settings);
  const client = new cassandra.Client(options);
  serialConsistencies.set(client, options.queryOptions?.serialConsistency ?? consistencies.localSerial);
  clientOptions.set(client, options);
  await client.connect();
  return client;
};

/** Creates a service's keyspace if missing. Keyspaces are per service: no one reads another's. */
export const ensureKeyspace = async (client: cassandra.Client, keyspace: string, replicationFactor: number): Promise<void> => {
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(keyspace)) throw new Error(`invalid keyspace name: ${keyspace}`);
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace}
     WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`,
  );
};

const roleExists = async (client: cassandra.Client, role: string): Promise<boolean> =>
  (await client.execute("SELECT role FROM system_auth.roles WHERE role = ?", [role], { prepare: true })).rows.length > 0;

/** Whether `role` can log in with `password` where `client` is connected (a session of its own, closed again). */
const logsIn = async (client: cassandra.Client, role: string, password: string): Promise<boolean> => {
  const options = clientOptions.get(client);
  if (!options) throw new Error("a login check needs a client made by connectCassandra");
  const probe = new cassandra.Client({
    ...options,
    authProvider: new cassandra.auth.PlainTextAuthProvider(role, password),
    pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: 1 } },
  });
  try {
    await probe.connect();
    return true;
  } catch (error) {
    if (
      error instanceof cassandra.errors.NoHostAvailableError &&
      Object.values(error.innerErrors as Record<string, unknown>).some((inner) => inner instanceof cassandra.errors.AuthenticationError)
    )
      return false;
    throw error;
  } finally {
    await probe.shutdown();
  }
};

/** A CQL string literal: role statements take a password as a literal only, never a bind marker. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The login of one keyspace's processes (CassandraAuthorizer): it may read and write that
 * keyspace's tables and nothing else — no other keyspace, no schema, no roles. Named after the
 * keyspace. A role that exists but no longer logs in with `password` gets it (a rotation is a
 * rerun; Cassandra refuses a second change of one role's password within 5 s, so an unchanged one
 * is left alone).
 */
export const ensureKeyspaceRole = async (client: cassandra.Client, keyspace: string, password: string): Promise<void> => {
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(keyspace)) throw new Error(`invalid keyspace name: ${keyspace}`);
  if (password.length < 16) throw new Error(`the password of role ${keyspace} must have at least 16 characters`);
  if (!(await roleExists(client, keyspace)))
    await client.execute(`CREATE ROLE IF NOT EXISTS ${keyspace} WITH PASSWORD = ${literal(password)} AND LOGIN = true AND SUPERUSER = false`);
  else if (!(await logsIn(client, keyspace, password))) await client.execute(`ALTER ROLE ${keyspace} WITH PASSWORD = ${literal(password)}`);
  await client.execute(`GRANT SELECT ON KEYSPACE ${keyspace} TO ${keyspace}`);
  await client.execute(`GRANT MODIFY ON KEYSPACE ${keyspace} TO ${keyspace}`);
};

/** Whether the keyspace's role exists with its two grants (read from system_auth: the admin's view). */
export const keyspaceRolePresent = async (client: cassandra.Client, keyspace: string): Promise<boolean> => {
  if (!(await roleExists(client, keyspace))) return false;
  const grants = await client.execute("SELECT permissions FROM system_auth.role_permissions WHERE role = ? AND resource = ?", [keyspace, `data/${keyspace}`], {
    prepare: true,
  });
  const permissions = new Set((grants.first()?.get("permissions") as string[] | null) ?? []);
  return permissions.has("SELECT") && permissions.has("MODIFY");
};
