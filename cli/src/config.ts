import { cassandraEnv, elasticsearchEnv, loadConfig, natsEnv } from "@bazaar/runtime";
import { z } from "zod";

const schema = z
  .object({
    BAZAAR_NAMESPACE: z.string().default(""),
    GATEWAY_KEYSPACE: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/).default("gateway"),
  })
  .transform((e) => ({ namespace: e.BAZAAR_NAMESPACE, gatewayKeyspace: e.GATEWAY_KEYSPACE }));

/** The same variables the services read (data stores included), so the CLI sees what they see. */
export const loadCliConfig = () => ({
  ...loadConfig(schema),
  cassandra: loadConfig(cassandraEnv),
  nats: { ...loadConfig(natsEnv), name: "bazaar-cli" },
  elasticsearch: { ...loadConfig(elasticsearchEnv), requestTimeoutMs: 30_000 },
});

export type CliConfig = ReturnType<typeof loadCliConfig>;
