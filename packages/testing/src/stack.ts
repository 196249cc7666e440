import { readFileSync } from "node:fs";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { repoRoot } from "./repoRoot.js";

/** A password the local stack generated into its state folder (deploy/local/lib); none before the stack first ran. */
const stackSecret = (name: string): string | undefined => {
  try {
    return readFileSync(`${process.env.BAZAAR_STATE_DIR ?? `${repoRoot}.local`}/secrets/${name}`, "utf8").trim();
  } catch {
    return undefined;
  }
};

/** The local stack's Cassandra superuser (bazaar_admin, deploy/local/lib/cassandra.sh). */
const cassandraAdmin = (): { username?: string; password?: string } => {
  const password = stackSecret("cassandra-admin");
  return password === undefined ? {} : { username: "bazaar_admin", password };
};

/** The local stack's NATS admin (bazaar_admin, deploy/local/nats-auth.conf): no limits, as `bazaar migrate` runs. */
const natsAdmin = (): { user?: string; pass?: string } => {
  const pass = stackSecret("nats-admin");
  return pass === undefined ? {} : { user: "bazaar_admin", pass };
};

/** The password of one of the stack's NATS users (a context's, `gateway`, `admin`). */
export const stackNatsPassword = (name: string): string => {
  const password = stackSecret(`nats-${name}`);
  if (password === undefined) throw new Error(`no NATS password for ${name}: the stack has not run yet (npm run stack -- up)`);
  return password;
};

/** Where the local stack (deploy/local/stack) listens, and its admin login; the same env variables as the services. */
export const stack = {
  cassandra: {
    contactPoints: [`127.0.0.1:${process.env.CASSANDRA_PORT ?? "9042"}`],
    localDataCenter: "datacenter1",
    replicationFactor: 1,
    ...cassandraAdmin(),
  },
  nats: { servers: [`nats://127.0.0.1:${process.env.NATS_PORT ?? "4222"}`], ...natsAdmin() },
  elasticsearch: { node: `http://127.0.0.1:${process.env.ES_PORT ?? "9200"}`, requestTimeoutMs: 10_000 },
};

/** The data stores a platform runs on: the single-node `stack`, or the `clusterStack`. */
export interface Stores {
  cassandra: { contactPoints: string[]; localDataCenter: string; replicationFactor: number; username?: string; password?: string };
  nats: { servers: string[]; streamReplicas?: number; user?: string; pass?: string };
  elasticsearch: { node: string; requestTimeoutMs: number };
}

const clusterPrefix = process.env.CLUSTER_ADDRESS_PREFIX ?? "127.0.1.";
/** How many nodes `stack up --nodes N` started (deploy/local/lib/cluster.sh). */
export const CLUSTER_NODES = 3;

/**
 * Cluster mode (`deploy/local/stack up --nodes 3`): three Cassandra and three NATS nodes on
 * 127.0.1.1–3, keyspaces at replication factor 3 and streams at 3 replicas; Elasticsearch is the
 * single node of `stack`.
 */
export const clusterStack: Stores = {
  cassandra: {
    contactPoints: Array.from({ length: CLUSTER_NODES }, (_, i) => `${clusterPrefix}${i + 1}:${process.env.CASSANDRA_PORT ?? "9042"}`),
    localDataCenter: "datacenter1",
    replicationFactor: CLUSTER_NODES,
    ...cassandraAdmin(),
  },
  nats: {
    servers: Array.from({ length: CLUSTER_NODES }, (_, i) => `nats://${clusterPrefix}${i + 1}:${process.env.NATS_PORT ?? "4222"}`),
    streamReplicas: CLUSTER_NODES,
    ...natsAdmin(),
  },
  elasticsearch: stack.elasticsearch,
};

/** The environment that points a context, the gateway or the CLI at these stores. */
export const storesEnv = (stores: Stores): Record<string, string> => ({
  CASSANDRA_CONTACT_POINTS: stores.cassandra.contactPoints.join(","),
  CASSANDRA_REPLICATION_FACTOR: String(stores.cassandra.replicationFactor),
  ...(stores.cassandra.username ? { CASSANDRA_USERNAME: stores.cassandra.username, CASSANDRA_PASSWORD: stores.cassandra.password ?? "" } : {}),
  NATS_SERVERS: stores.nats.servers.join(","),
  ...(stores.nats.user ? { NATS_USER: stores.nats.user, NATS_PASSWORD: stores.nats.pass ?? "" } : {}),
  ...(stores.nats.streamReplicas === undefined ? {} : { NATS_STREAM_REPLICAS: String(stores.nats.streamReplicas) }),
  ELASTICSEARCH_URL: stores.elasticsearch.node,
});

/** A connection to these stores' NATS as their admin (what tests inspect and clean up with). */
export const connectStoresNats = (stores: Stores, options: { name?: string } = {}): Promise<NatsConnection> =>
  connect({ servers: stores.nats.servers, ...(stores.nats.user ? { user: stores.nats.user, pass: stores.nats.pass ?? "" } : {}), ...options });

/** A name no other test run uses: keyspaces, streams and indices of one test stay its own. */
export const uniqueName = (prefix: string): string => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
