import { cassandraEnv, elasticsearchEnv, loadConfig, natsEnv } from "@bazaar/runtime";
import { z } from "zod";

const rolePassword = z.preprocess((value) => (value === "" ? undefined : value), z.string().min(16).optional());
const schema = z
  .object({
    BAZAAR_NAMESPACE: z.string().default(""),
    GATEWAY_KEYSPACE: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,47}$/)
      .default("gateway"),
    // `migrate`: the password of each keyspace's own role (named after the keyspace); unset, no role.
    CATALOG_CASSANDRA_PASSWORD: rolePassword,
    INVENTORY_CASSANDRA_PASSWORD: rolePassword,
    ORDERING_CASSANDRA_PASSWORD: rolePassword,
    CUSTOMER_CASSANDRA_PASSWORD: rolePassword,
    GATEWAY_CASSANDRA_PASSWORD: rolePassword,
  })
  .transform((e) => ({
    namespace: e.BAZAAR_NAMESPACE,
    gatewayKeyspace: e.GATEWAY_KEYSPACE,
    rolePasswords: {
      catalog: e.CATALOG_CASSANDRA_PASSWORD,
      inventory: e.INVENTORY_CASSANDRA_PASSWORD,
      ordering: e.ORDERING_CASSANDRA_PASSWORD,
      customer: e.CUSTOMER_CASSANDRA_PASSWORD,
      gateway: e.GATEWAY_CASSANDRA_PASSWORD,
    },
  }));

/** The same variables the services read (data stores included), so the CLI sees what they see. */
export const loadCliConfig = () => ({
  ...loadConfig(schema),
  cassandra: loadConfig(cassandraEnv),
  nats: { ...loadConfig(natsEnv), name: "bazaar-cli" },
  elasticsearch: { ...loadConfig(elasticsearchEnv), requestTimeoutMs: 30_000 },
});

export type CliConfig = ReturnType<typeof loadCliConfig>;
