import { readFileSync } from "node:fs";
import { repoRoot } from "./repoRoot.js";

/**
 * The local stack's Cassandra superuser (bazaar_admin): its password is the one the stack
 * generated into its state folder (deploy/local/lib/cassandra.sh). None before the stack first ran.
 */
const cassandraAdmin = (): { username?: string; password?: string } => {
  try {
    return { username: "bazaar_admin", password: readFileSync(`${process.env.BAZAAR_STATE_DIR ?? `${repoRoot}.local`}/secrets/cassandra-admin`, "utf8").trim() };
  } catch {
    return {};
  }
};

/** Where the local stack (deploy/local/stack) listens, and its admin login; the same env variables as the services. */
export const stack = {
  cassandra: {
    contactPoints: [`127.0.0.1:${process.env.CASSANDRA_PORT ?? "9042"}`],
    localDataCenter: "datacenter1",
    replicationFactor: 1,
    ...cassandraAdmin(),
  },
  nats: { servers: [`nats://127.0.0.1:${process.env.NATS_PORT ?? "4222"}`] },
  elasticsearch: { node: `http://127.0.0.1:${process.env.ES_PORT ?? "9200"}`, requestTimeoutMs: 10_000 },
};

/** The data stores a platform runs on: the single-node `stack`, or the `clusterStack`. */
export interface Stores {
  cassandra: { contactPoints: string[]; localDataCenter: string; replicationFactor: number; username?: string; password?: string };
  nats: { servers: string[]; streamReplicas?: number };
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
  nats: { servers: Array.from({ length: CLUSTER_NODES }, (_, i) => `nats://${clusterPrefix}${i + 1}:${process.env.NATS_PORT ?? "4222"}`), streamReplicas: CLUSTER_NODES },
  elasticsearch: stack.elasticsearch,
};

/** The environment that points a context, the gateway or the CLI at these stores. */
export const storesEnv = (stores: Stores): Record<string, string> => ({
  CASSANDRA_CONTACT_POINTS: stores.cassandra.contactPoints.join(","),
  CASSANDRA_REPLICATION_FACTOR: String(stores.cassandra.replicationFactor),
  ...(stores.cassandra.username ? { CASSANDRA_USERNAME: stores.cassandra.username, CASSANDRA_PASSWORD: stores.cassandra.password ?? "" } : {}),
  NATS_SERVERS: stores.nats.servers.join(","),
  ...(stores.nats.streamReplicas === undefined ? {} : { NATS_STREAM_REPLICAS: String(stores.nats.streamReplicas) }),
  ELASTICSEARCH_URL: stores.elasticsearch.node,
});

/** A name no other test run uses: keyspaces, streams and indices of one test stay its own. */
export const uniqueName = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
