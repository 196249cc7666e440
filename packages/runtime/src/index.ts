export { ConfigError, env, loadConfig } from "./config.js";
export { createLogger, type Logger } from "./logger.js";
export { asDependencyFailure } from "./dependencyFailures.js";
export { fromGrpcError, toGrpcStatus } from "./grpcErrors.js";
export { startGrpcServer, unary, type CallContext, type GrpcServer, type GrpcService } from "./grpcServer.js";
export { callUnary, CHANNEL_OPTIONS, serviceClientOptions, type UnaryMethod } from "./grpcClient.js";
export {
  createUnaryClient,
  type Idempotency,
  type UnaryCall,
  type UnaryClient,
  type UnaryClientSettings,
  type UnaryMethodInfo,
  type UnaryMiddleware,
} from "./unaryClient.js";
export {
  BudgetSpentError,
  BulkheadFullError,
  CircuitOpenError,
  createResilience,
  DEFAULT_RESILIENCE_SETTINGS,
  isClientError,
  isTransient,
  resilienceMiddleware,
  wasNotAttempted,
  type BreakerState,
  type Resilience,
  type ResilienceSettings,
  type ResilienceSummary,
} from "./resilience/index.js";
export { createHealthClient, type HealthClient, type ServingStatus } from "./grpcHealthClient.js";
export { DEV_SERVICE_AUTH_SECRET, mintServiceToken, serviceAuthSettings, verifyServiceToken } from "./serviceAuth.js";
export { onShutdown, type ShutdownStep } from "./shutdown.js";
export { callMetadata, eventMetadataFrom } from "./callMetadata.js";
export { createMetricsRegistry, metricsOn, observeAges, startMetricsServer } from "./metrics.js";
export { grpcServerMetrics, REQUEST_DURATION_BUCKETS, rpcMetricNames, type RpcSide } from "./grpcMetrics.js";
export { cassandraEnv, elasticsearchEnv, natsEnv, provisioningEnv, type CassandraConsistency, type CassandraSerialConsistency } from "./dataStoreSettings.js";
export { backoffDelayMs, retry, type RetryOptions, type RetryPolicy } from "./retry.js";
export { CONFLICT_RETRY, retryOnConflict } from "./retryOnConflict.js";
export { approximateBytes, createBoundedCache, type BoundedCacheOptions } from "./boundedCache.js";
export { sleep } from "./sleep.js";
export { withTimeout } from "./withTimeout.js";
export { startPeriodic, type Periodic } from "./periodic.js";
export { recordSpans, startTracing, tracingEnv, type Tracing, type TracingSettings } from "./tracing.js";
