import { env, loadConfig } from "@bazaar/runtime";
import { z } from "zod";

const schema = z
  .object({
    BAZAAR_NAMESPACE: z.string().default(""),
    CASSANDRA_CONTACT_POINTS: env.list("127.0.0.1:9042"),
    CASSANDRA_LOCAL_DC: env.string("datacenter1"),
    CASSANDRA_REPLICATION_FACTOR: env.int(1),
    GATEWAY_KEYSPACE: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/).default("gateway"),
    NATS_SERVERS: env.list("nats://127.0.0.1:4222"),
    ELASTICSEARCH_URL: z.url().default("http://127.0.0.1:9200"),
  })
  .transform((e) => ({
    namespace: e.BAZAAR_NAMESPACE,
    cassandra: { contactPoints: e.CASSANDRA_CONTACT_POINTS, localDataCenter: e.CASSANDRA_LOCAL_DC, replicationFactor: e.CASSANDRA_REPLICATION_FACTOR },
    gatewayKeyspace: e.GATEWAY_KEYSPACE,
    nats: { servers: e.NATS_SERVERS, name: "bazaar-cli" },
    elasticsearch: { node: e.ELASTICSEARCH_URL, requestTimeoutMs: 30_000 },
  }));

export type CliConfig = z.infer<typeof schema>;

/** The same variables the services read, so the CLI sees what they see. */
export const loadCliConfig = (): CliConfig => loadConfig(schema);
