import { cassandraEnv, elasticsearchEnv, env, loadConfig, natsEnv, provisioningEnv, serviceAuthSettings, tracingEnv } from "@bazaar/runtime";
import { z } from "zod";

const ROLES = ["command", "projector", "query"] as const;
export type Role = (typeof ROLES)[number];

/**
 * The settings every context reads, under its own prefix (`CATALOG_ROLES`, `INVENTORY_GRPC_PORT`,
 * …) plus the shared ones (servers, namespace, relay), but no secret: all provisioning
 * (`bazaar migrate`) needs. A bad value stops the process with a message naming the variable.
 */
export const loadServiceSettings = (
  context: string,
  defaults: { grpcPort: number; metricsPort: number },
  source: Record<string, string | undefined> = process.env,
) => {
  const p = context.toUpperCase();
  const schema = z
    .object({
      [`${p}_ROLES`]: env.list("command,projector,query").pipe(z.array(z.enum(ROLES)).min(1)),
      [`${p}_GRPC_HOST`]: env.string("127.0.0.1"),
      [`${p}_GRPC_PORT`]: env.port(defaults.grpcPort),
      [`${p}_METRICS_PORT`]: env.port(defaults.metricsPort),
      [`${p}_KEYSPACE`]: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,47}$/)
        .default(context),
      [`${p}_SNAPSHOT_EVERY`]: env.int(50),
      BAZAAR_NAMESPACE: z
        .string()
        .regex(/^([a-z][a-z0-9]{0,19})?$/, "lower-case letters and digits, starting with a letter")
        .default(""),
      RELAY_STALE_AFTER_MS: env.int(5000),
      RELAY_INTERVAL_MS: env.int(1000),
      RELAY_LEASE_MS: env.int(10_000),
      // 3 in a 3-node JetStream cluster: an event is acknowledged once two servers stored it.
      NATS_STREAM_REPLICAS: env.int(1).pipe(z.number().min(1).max(5)),
      // Below the gateway's request budget (5 s) even with the one retry.
      ELASTICSEARCH_QUERY_TIMEOUT_MS: env.int(2_000),
    })
    .transform((e) => {
      const host = e[`${p}_GRPC_HOST`] as string;
      return {
        context,
        roles: new Set<Role>(e[`${p}_ROLES`] as Role[]),
        namespace: e.BAZAAR_NAMESPACE as string,
        grpc: { host, port: e[`${p}_GRPC_PORT`] as number },
        metrics: { host, port: e[`${p}_METRICS_PORT`] as number },
        snapshotEvery: Math.max(1, e[`${p}_SNAPSHOT_EVERY`] as number),
        relay: { staleAfterMs: e.RELAY_STALE_AFTER_MS as number, intervalMs: e.RELAY_INTERVAL_MS as number, leaseMs: e.RELAY_LEASE_MS as number },
        keyspace: e[`${p}_KEYSPACE`] as string,
        streamReplicas: e.NATS_STREAM_REPLICAS as number,
        queryTimeoutMs: e.ELASTICSEARCH_QUERY_TIMEOUT_MS as number,
      };
    });
  // The data stores: addresses, credentials, TLS and consistency, read as every process reads them.
  const { keyspace, streamReplicas, queryTimeoutMs, ...settings } = loadConfig(schema, source);
  return {
    ...settings,
    cassandra: { ...loadConfig(cassandraEnv, source), keyspace },
    nats: { ...loadConfig(natsEnv, source), streamReplicas },
    elasticsearch: { ...loadConfig(elasticsearchEnv, source), requestTimeoutMs: 10_000, queryTimeoutMs },
  };
};

export type ServiceSettings = ReturnType<typeof loadServiceSettings>;

/**
 * What a context's process runs with: its settings, the gRPC service token's secret (and
 * whether development mode may use the built-in one), where its spans go and whether it creates
 * or only checks its schema. Parsed once at start.
 */
export const loadServiceConfig = (
  context: string,
  defaults: { grpcPort: number; metricsPort: number },
  source: Record<string, string | undefined> = process.env,
) => ({
  ...loadServiceSettings(context, defaults, source),
  provisioning: loadConfig(provisioningEnv, source),
  tracing: loadConfig(tracingEnv, source),
  serviceAuth: loadConfig(serviceAuthSettings, source),
});

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;
