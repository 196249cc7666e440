import { env, loadConfig } from "@bazaar/runtime";
import { z } from "zod";

const ROLES = ["command", "projector", "query"] as const;
export type Role = (typeof ROLES)[number];

const schema = z
  .object({
    CATALOG_ROLES: env.list("command,projector,query").pipe(z.array(z.enum(ROLES)).min(1)),
    CATALOG_GRPC_HOST: env.string("127.0.0.1"),
    CATALOG_GRPC_PORT: env.port(50051),
    BAZAAR_NAMESPACE: z.string().regex(/^([a-z][a-z0-9]{0,19})?$/, "lower-case letters and digits, starting with a letter").default(""),
    CATALOG_KEYSPACE: env.string("catalog"),
    CATALOG_METRICS_PORT: env.port(9464),
    CATALOG_SNAPSHOT_EVERY: env.int(50),
    RELAY_STALE_AFTER_MS: env.int(5000),
    RELAY_INTERVAL_MS: env.int(1000),
    CASSANDRA_CONTACT_POINTS: env.list("127.0.0.1:9042"),
    CASSANDRA_LOCAL_DC: env.string("datacenter1"),
    CASSANDRA_REPLICATION_FACTOR: env.int(1),
    NATS_SERVERS: env.list("nats://127.0.0.1:4222"),
    ELASTICSEARCH_URL: z.url().default("http://127.0.0.1:9200"),
  })
  .transform((e) => ({
    roles: new Set<Role>(e.CATALOG_ROLES),
    namespace: e.BAZAAR_NAMESPACE,
    grpc: { host: e.CATALOG_GRPC_HOST, port: e.CATALOG_GRPC_PORT },
    metrics: { host: e.CATALOG_GRPC_HOST, port: e.CATALOG_METRICS_PORT },
    snapshotEvery: Math.max(1, e.CATALOG_SNAPSHOT_EVERY),
    relay: { staleAfterMs: e.RELAY_STALE_AFTER_MS, intervalMs: e.RELAY_INTERVAL_MS },
    cassandra: {
      contactPoints: e.CASSANDRA_CONTACT_POINTS,
      localDataCenter: e.CASSANDRA_LOCAL_DC,
      replicationFactor: e.CASSANDRA_REPLICATION_FACTOR,
      keyspace: e.CATALOG_KEYSPACE,
    },
    nats: { servers: e.NATS_SERVERS },
    elasticsearch: { node: e.ELASTICSEARCH_URL, requestTimeoutMs: 10_000 },
  }));

export type CatalogConfig = z.infer<typeof schema>;

export const loadCatalogConfig = (source?: Record<string, string | undefined>): CatalogConfig => loadConfig(schema, source);
