import { readFileSync } from "node:fs";
import { z } from "zod";
import { env } from "./config.js";

/**
 * How every process reaches the data stores, read from the same variables everywhere (the
 * contexts, the gateway, the CLI): addresses, credentials, TLS, and the consistency asked of
 * each. The defaults fit the local stack; a real cluster sets what it needs (the Helm chart's
 * `dataStores` values).
 */

/** An empty variable counts as unset. */
const optional = z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());

/** A PEM file to trust (a private CA); read at start so a wrong path stops the process, naming the variable. */
const caFile = z.preprocess(
  (value) => (value === "" ? undefined : value),
  z
    .string()
    .transform((path, context) => {
      try {
        return readFileSync(path, "utf8");
      } catch (error) {
        context.addIssue({ code: "custom", message: `cannot read ${path}: ${(error as Error).message}` });
        return z.NEVER;
      }
    })
    .optional(),
);

/**
 * Never below a majority of replicas: an acknowledged write then survives one node's loss, and
 * an LWT (appends, claims, the saga log) is decided by a Paxos majority. LOCAL_* keep it within
 * the local data center; QUORUM / EACH_QUORUM / SERIAL span data centers, at their latency.
 */
const CONSISTENCIES = ["LOCAL_QUORUM", "QUORUM", "EACH_QUORUM", "ALL"] as const;
const SERIAL_CONSISTENCIES = ["LOCAL_SERIAL", "SERIAL"] as const;
export type CassandraConsistency = (typeof CONSISTENCIES)[number];
export type CassandraSerialConsistency = (typeof SERIAL_CONSISTENCIES)[number];

export const cassandraEnv = z
  .object({
    CASSANDRA_CONTACT_POINTS: env.list("127.0.0.1:9042"),
    CASSANDRA_LOCAL_DC: env.string("datacenter1"),
    CASSANDRA_REPLICATION_FACTOR: env.int(1).pipe(z.number().min(1)),
    CASSANDRA_USERNAME: optional,
    CASSANDRA_PASSWORD: optional,
    CASSANDRA_TLS_CA: caFile,
    CASSANDRA_CONSISTENCY: z.enum(CONSISTENCIES).default("LOCAL_QUORUM"),
    CASSANDRA_SERIAL_CONSISTENCY: z.enum(SERIAL_CONSISTENCIES).default("LOCAL_SERIAL"),
  })
  .refine((e) => (e.CASSANDRA_USERNAME === undefined) === (e.CASSANDRA_PASSWORD === undefined), {
    path: ["CASSANDRA_PASSWORD"],
    message: "CASSANDRA_USERNAME and CASSANDRA_PASSWORD go together",
  })
  .transform((e) => ({
    contactPoints: e.CASSANDRA_CONTACT_POINTS,
    localDataCenter: e.CASSANDRA_LOCAL_DC,
    replicationFactor: e.CASSANDRA_REPLICATION_FACTOR,
    ...(e.CASSANDRA_USERNAME ? { username: e.CASSANDRA_USERNAME, password: e.CASSANDRA_PASSWORD } : {}),
    ...(e.CASSANDRA_TLS_CA ? { tls: { ca: e.CASSANDRA_TLS_CA } } : {}),
    consistency: e.CASSANDRA_CONSISTENCY,
    serialConsistency: e.CASSANDRA_SERIAL_CONSISTENCY,
  }));

export const natsEnv = z
  .object({
    NATS_SERVERS: env.list("nats://127.0.0.1:4222"),
    NATS_USER: optional,
    NATS_PASSWORD: optional,
    NATS_TOKEN: optional,
    /** A `.creds` file (user JWT and NKey seed), as `nsc` writes them for decentralized auth. */
    NATS_CREDS: optional,
    NATS_TLS_CA: caFile,
  })
  .refine((e) => (e.NATS_USER === undefined) === (e.NATS_PASSWORD === undefined), {
    path: ["NATS_PASSWORD"],
    message: "NATS_USER and NATS_PASSWORD go together",
  })
  .refine((e) => [e.NATS_USER, e.NATS_TOKEN, e.NATS_CREDS].filter(Boolean).length <= 1, {
    path: ["NATS_CREDS"],
    message: "set one of NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_CREDS",
  })
  .transform((e) => ({
    servers: e.NATS_SERVERS,
    ...(e.NATS_USER ? { user: e.NATS_USER, pass: e.NATS_PASSWORD } : {}),
    ...(e.NATS_TOKEN ? { token: e.NATS_TOKEN } : {}),
    ...(e.NATS_CREDS ? { credsFile: e.NATS_CREDS } : {}),
    ...(e.NATS_TLS_CA ? { tls: { ca: e.NATS_TLS_CA } } : {}),
  }));

export const elasticsearchEnv = z
  .object({
    ELASTICSEARCH_URL: z.url().default("http://127.0.0.1:9200"),
    ELASTICSEARCH_API_KEY: optional,
    ELASTICSEARCH_USERNAME: optional,
    ELASTICSEARCH_PASSWORD: optional,
    ELASTICSEARCH_TLS_CA: caFile,
    /** Copies of each read model's shards: 0 on one node; 1 or more where nodes can fail. */
    ELASTICSEARCH_REPLICAS: env.int(0),
  })
  .refine((e) => (e.ELASTICSEARCH_USERNAME === undefined) === (e.ELASTICSEARCH_PASSWORD === undefined), {
    path: ["ELASTICSEARCH_PASSWORD"],
    message: "ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD go together",
  })
  .transform((e) => ({
    node: e.ELASTICSEARCH_URL,
    ...(e.ELASTICSEARCH_API_KEY ? { apiKey: e.ELASTICSEARCH_API_KEY } : {}),
    ...(e.ELASTICSEARCH_USERNAME ? { username: e.ELASTICSEARCH_USERNAME, password: e.ELASTICSEARCH_PASSWORD } : {}),
    ...(e.ELASTICSEARCH_TLS_CA ? { tls: { ca: e.ELASTICSEARCH_TLS_CA } } : {}),
    replicas: e.ELASTICSEARCH_REPLICAS,
  }));

export type CassandraEnvSettings = z.infer<typeof cassandraEnv>;
export type NatsEnvSettings = z.infer<typeof natsEnv>;
export type ElasticsearchEnvSettings = z.infer<typeof elasticsearchEnv>;

/**
 * Whether a process creates the schema and topology it relies on at start, or only checks them
 * (`BAZAAR_PROVISIONING`): `bazaar migrate` provisions with a role that may, and outside
 * development a process does not (where the stores enforce roles, its own may not). Default:
 * `create` in development mode, `check` otherwise.
 */
export const provisioningEnv = z
  .object({
    BAZAAR_MODE: z.enum(["production", "development"]).default("production"),
    BAZAAR_PROVISIONING: z.preprocess((value) => (value === "" ? undefined : value), z.enum(["check", "create"]).optional()),
  })
  .transform((e) => ({ create: (e.BAZAAR_PROVISIONING ?? (e.BAZAAR_MODE === "development" ? "create" : "check")) === "create" }));
