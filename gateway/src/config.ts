import { cassandraEnv, DEV_SERVICE_AUTH_SECRET, env, loadConfig, natsEnv, provisioningEnv, tracingEnv } from "@bazaar/runtime";
import { z } from "zod";
import { DEV_CONSISTENCY_TOKEN_SECRET, DEV_HS256_SECRET } from "./edge/devSecret.js";

/** HMAC-SHA256 keys shorter than the hash are guessable offline from one token (RFC 7518 §3.2). */
const MIN_SECRET_BYTES = 32;

/** An empty variable (`AUTH_HS256_SECRET=`) counts as unset. */
const secret = z.preprocess(
  (value) => (value === "" ? undefined : value),
  z
    .string()
    .refine((value) => Buffer.byteLength(value, "utf8") >= MIN_SECRET_BYTES, `must be at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 48)`)
    .optional(),
);

const DEVELOPMENT_ONLY = "is required unless BAZAAR_MODE=development (which uses a built-in development secret)";

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
    /** development: built-in secrets may be used; production (the default): every secret must be given. */
    BAZAAR_MODE: z.enum(["production", "development"]).default("production"),
    CONSISTENCY_TOKEN_SECRET: secret,
    CONSISTENCY_WAIT_MS: env.int(2000),
    AUTH_HS256_SECRET: secret,
    /** Signs the gateway's gRPC service token; the contexts check it with the same secret. */
    SERVICE_AUTH_SECRET: secret,
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().min(1).optional(),
    AUTH_AUDIENCE: z.string().min(1).optional(),
    /** Seconds since `iat` after which a token is refused, whatever its `exp` says. */
    AUTH_MAX_TOKEN_AGE: z.coerce.number().int().positive().default(86_400),
    RATE_LIMIT_LIMIT: env.int(600),
    RATE_LIMIT_WINDOW_MS: env.int(60_000),
    /** Per IP address and window, in front of authentication (a flood of bad tokens counts). */
    RATE_LIMIT_IP_LIMIT: env.int(1200),
    GATEWAY_KEYSPACE: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,47}$/)
      .default("gateway"),
    /** The contexts' namespace: where their streams and consumers are, for the pipeline state. */
    BAZAAR_NAMESPACE: z
      .string()
      .regex(/^([a-z][a-z0-9]{0,19})?$/, "lower-case letters and digits, starting with a letter")
      .default(""),
    GATEWAY_METRICS: z.enum(["on", "off"]).default("on"),
    /** `/metrics` listens apart from the public port, on loopback unless told. */
    GATEWAY_METRICS_HOST: env.string("127.0.0.1"),
    GATEWAY_METRICS_PORT: env.port(9468),
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
  .superRefine((e, context) => {
    const required = (variable: keyof typeof e, why: string) => context.addIssue({ code: "custom", path: [variable], message: why });
    const development = e.BAZAAR_MODE === "development";
    if (!e.AUTH_JWKS_URL && !e.AUTH_HS256_SECRET && !development) required("AUTH_HS256_SECRET", `${DEVELOPMENT_ONLY}, or set AUTH_JWKS_URL`);
    if (!e.CONSISTENCY_TOKEN_SECRET && !development) required("CONSISTENCY_TOKEN_SECRET", DEVELOPMENT_ONLY);
    if (!e.SERVICE_AUTH_SECRET && !development) required("SERVICE_AUTH_SECRET", DEVELOPMENT_ONLY);
    // A shared identity provider signs tokens for other applications too: only ours may pass.
    if (e.AUTH_JWKS_URL && !e.AUTH_ISSUER) required("AUTH_ISSUER", "is required with AUTH_JWKS_URL (the issuer whose tokens are accepted)");
    if (e.AUTH_JWKS_URL && !e.AUTH_AUDIENCE) required("AUTH_AUDIENCE", "is required with AUTH_JWKS_URL (tokens must be minted for this API)");
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
    mode: e.BAZAAR_MODE,
    consistency: { secret: e.CONSISTENCY_TOKEN_SECRET ?? DEV_CONSISTENCY_TOKEN_SECRET, waitMs: e.CONSISTENCY_WAIT_MS },
    serviceAuth: { secret: e.SERVICE_AUTH_SECRET ?? DEV_SERVICE_AUTH_SECRET },
    // superRefine guarantees issuer and audience with a JWKS URL, and a secret outside development.
    auth: e.AUTH_JWKS_URL
      ? { jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER ?? "", audience: e.AUTH_AUDIENCE ?? "", maxTokenAgeSeconds: e.AUTH_MAX_TOKEN_AGE }
      : { hs256Secret: e.AUTH_HS256_SECRET ?? DEV_HS256_SECRET, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE, maxTokenAgeSeconds: e.AUTH_MAX_TOKEN_AGE },
    /** Which built-in development secrets are in use (only ever in development mode), to say so at start. */
    developmentSecrets: [
      ...(!e.AUTH_JWKS_URL && !e.AUTH_HS256_SECRET ? ["AUTH_HS256_SECRET"] : []),
      ...(!e.CONSISTENCY_TOKEN_SECRET ? ["CONSISTENCY_TOKEN_SECRET"] : []),
      ...(!e.SERVICE_AUTH_SECRET ? ["SERVICE_AUTH_SECRET"] : []),
    ],
    rateLimit: { limit: e.RATE_LIMIT_LIMIT, ipLimit: e.RATE_LIMIT_IP_LIMIT, windowMs: e.RATE_LIMIT_WINDOW_MS },
    metrics: e.GATEWAY_METRICS === "on" ? { host: e.GATEWAY_METRICS_HOST, port: e.GATEWAY_METRICS_PORT } : undefined,
    keyspace: e.GATEWAY_KEYSPACE,
    namespace: e.BAZAAR_NAMESPACE,
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

/**
 * The gateway's settings, Cassandra as every process reaches it (its saga log and idempotency
 * keys), and NATS, read-only, for the pipeline state operators see.
 */
export const loadGatewayConfig = (source?: Record<string, string | undefined>) => {
  const { keyspace, ...settings } = loadConfig(schema, source);
  return {
    ...settings,
    cassandra: { ...loadConfig(cassandraEnv, source), keyspace },
    nats: loadConfig(natsEnv, source),
    tracing: loadConfig(tracingEnv, source),
    provisioning: loadConfig(provisioningEnv, source),
  };
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
