export { ConfigError, env, loadConfig } from "./config.js";
export { createLogger, type Logger } from "./logger.js";
export { asDependencyFailure } from "./dependencyFailures.js";
export { fromGrpcError, toGrpcStatus } from "./grpcErrors.js";
export { startGrpcServer, unary, type CallContext, type GrpcServer, type GrpcService } from "./grpcServer.js";
export { callUnary, CHANNEL_OPTIONS, type UnaryMethod } from "./grpcClient.js";
export { onShutdown, type ShutdownStep } from "./shutdown.js";
export { callMetadata, eventMetadataFrom } from "./callMetadata.js";
export { createMetricsRegistry, startMetricsServer } from "./metrics.js";
