import { env, loadConfig } from "@bazaar/runtime";
import { z } from "zod";
import { DEV_HS256_SECRET } from "./edge/devSecret.js";

/** Signs consistency tokens when no secret is configured: fine locally, never in production. */
export const DEV_CONSISTENCY_TOKEN_SECRET = "bazaar-dev-consistency-token-secret";

const schema = z
  .object({
    GATEWAY_HOST: env.string("127.0.0.1"),
    GATEWAY_PORT: env.port(8080),
    CATALOG_COMMAND_ADDRESS: env.string("127.0.0.1:50051"),
    CATALOG_QUERY_ADDRESS: env.string("127.0.0.1:50051"),
    INVENTORY_COMMAND_ADDRESS: env.string("127.0.0.1:50052"),
    INVENTORY_QUERY_ADDRESS: env.string("127.0.0.1:50052"),
    ORDERING_COMMAND_ADDRESS: env.string("127.0.0.1:50053"),
    ORDERING_QUERY_ADDRESS: env.string("127.0.0.1:50053"),
    CUSTOMER_COMMAND_ADDRESS: env.string("127.0.0.1:50054"),
    CUSTOMER_QUERY_ADDRESS: env.string("127.0.0.1:50054"),
    DOWNSTREAM_TIMEOUT_MS: env.int(5000),
    REQUEST_BUDGET_MS: env.int(5000),
    READINESS_TIMEOUT_MS: env.int(1000),
    BODY_LIMIT: env.string("64kb"),
    CONSISTENCY_TOKEN_SECRET: env.string(DEV_CONSISTENCY_TOKEN_SECRET),
    CONSISTENCY_WAIT_MS: env.int(2000),
    AUTH_HS256_SECRET: env.string(DEV_HS256_SECRET),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().optional(),
    AUTH_AUDIENCE: z.string().optional(),
    RATE_LIMIT_LIMIT: env.int(600),
    RATE_LIMIT_WINDOW_MS: env.int(60_000),
    GATEWAY_KEYSPACE: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/).default("gateway"),
    GATEWAY_METRICS: z.enum(["on", "off"]).default("on"),
    CASSANDRA_CONTACT_POINTS: env.list("127.0.0.1:9042"),
    CASSANDRA_LOCAL_DC: env.string("datacenter1"),
    CASSANDRA_REPLICATION_FACTOR: env.int(1),
    IDEMPOTENCY_TTL_SECONDS: env.int(86_400),
    /** 0: twice the request budget. */
    IDEMPOTENCY_LEASE_MS: env.int(0),
    SAGA_STEP_TIMEOUT_MS: env.int(5_000),
    SAGA_RECOVER_AFTER_MS: env.int(30_000),
    SAGA_RECOVERY_INTERVAL_MS: env.int(10_000),
    BREAKER_TIMEOUT_MS: env.int(6_000),
    BREAKER_ERROR_THRESHOLD_PERCENT: env.int(50),
    BREAKER_VOLUME_THRESHOLD: env.int(10),
    BREAKER_RESET_TIMEOUT_MS: env.int(5_000),
    BULKHEAD_LIMIT: env.int(64),
  })
  .transform((e) => ({
    http: { host: e.GATEWAY_HOST, port: e.GATEWAY_PORT, bodyLimit: e.BODY_LIMIT },
    catalog: { commandAddress: e.CATALOG_COMMAND_ADDRESS, queryAddress: e.CATALOG_QUERY_ADDRESS },
    inventory: { commandAddress: e.INVENTORY_COMMAND_ADDRESS, queryAddress: e.INVENTORY_QUERY_ADDRESS },
    ordering: { commandAddress: e.ORDERING_COMMAND_ADDRESS, queryAddress: e.ORDERING_QUERY_ADDRESS },
    customer: { commandAddress: e.CUSTOMER_COMMAND_ADDRESS, queryAddress: e.CUSTOMER_QUERY_ADDRESS },
    timeoutMs: e.DOWNSTREAM_TIMEOUT_MS,
    requestBudgetMs: e.REQUEST_BUDGET_MS,
    readinessTimeoutMs: e.READINESS_TIMEOUT_MS,
    consistency: { secret: e.CONSISTENCY_TOKEN_SECRET, waitMs: e.CONSISTENCY_WAIT_MS },
    auth: e.AUTH_JWKS_URL
      ? { jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE }
      : { hs256Secret: e.AUTH_HS256_SECRET, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE },
    usesDevSecret: !e.AUTH_JWKS_URL && e.AUTH_HS256_SECRET === DEV_HS256_SECRET,
    rateLimit: { limit: e.RATE_LIMIT_LIMIT, windowMs: e.RATE_LIMIT_WINDOW_MS },
    cassandra: { contactPoints: e.CASSANDRA_CONTACT_POINTS, localDataCenter: e.CASSANDRA_LOCAL_DC, replicationFactor: e.CASSANDRA_REPLICATION_FACTOR, keyspace: e.GATEWAY_KEYSPACE },
    idempotencyTtlSeconds: e.IDEMPOTENCY_TTL_SECONDS,
    // No request holds its key past its budget (the response goes out by then), so a key still in
    // progress after twice that was orphaned: its claim landed but the answer was lost in an outage.
    idempotencyLeaseMs: e.IDEMPOTENCY_LEASE_MS || 2 * e.REQUEST_BUDGET_MS,
    sagas: { stepTimeoutMs: e.SAGA_STEP_TIMEOUT_MS, recoverAfterMs: e.SAGA_RECOVER_AFTER_MS, recoveryIntervalMs: e.SAGA_RECOVERY_INTERVAL_MS },
    resilience: {
      timeoutMs: e.BREAKER_TIMEOUT_MS,
      errorThresholdPercentage: e.BREAKER_ERROR_THRESHOLD_PERCENT,
      volumeThreshold: e.BREAKER_VOLUME_THRESHOLD,
      resetTimeoutMs: e.BREAKER_RESET_TIMEOUT_MS,
      bulkheadLimit: e.BULKHEAD_LIMIT,
    },
  }));

export type GatewayConfig = z.infer<typeof schema>;

export const loadGatewayConfig = (source?: Record<string, string | undefined>): GatewayConfig => loadConfig(schema, source);
