import * as grpc from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation } from "grpc-health-check";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { toGrpcStatus } from "./grpcErrors.js";
import { grpcServerMetrics } from "./grpcMetrics.js";
import { inServerSpan } from "./grpcTracing.js";
import { serviceAuthInterceptor } from "./serviceAuth.js";

export interface GrpcService {
  /** Fully-qualified name, e.g. `bazaar.catalog.v1.CatalogCommandService`, used for health. */
  name: string;
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface GrpcServer {
  port: number;
  /** Marks every service NOT_SERVING, then waits for in-flight calls to finish. */
  shutdown(): Promise<void>;
}

const HEALTH = "/grpc.health.v1.Health/";

/**
 * Starts a gRPC server with `grpc.health.v1` (per service and overall, open to anyone: it is what
 * orchestrators probe) and, in development only, server reflection. Every other call must carry a
 * service token (serviceAuth.ts); `x-actor` is believed only from `trustActorFrom`.
 */
export const startGrpcServer = async (options: {
  host: string;
  port: number;
  services: GrpcService[];
  descriptorSet: Buffer;
  logger: Logger;
  auth: { secret: string; trustActorFrom: ReadonlySet<string> };
  reflection: boolean;
  /** Where the per-method request counters and durations go (grpcMetrics.ts); none unmeasured. */
  metrics?: Registry;
}): Promise<GrpcServer> => {
  const server = new grpc.Server({
    // Metrics first: they see the calls the service-token check refuses too.
    interceptors: [
      ...(options.metrics ? [grpcServerMetrics(options.metrics)] : []),
      serviceAuthInterceptor({ ...options.auth, open: (path) => path.startsWith(HEALTH) }),
    ],
  });
  const health = new HealthImplementation({ "": "SERVING" });
  for (const service of options.services) {
    server.addService(service.definition, service.implementation);
    health.setStatus(service.name, "SERVING");
  }
  health.addToServer(server);
  if (options.reflection) new ReflectionService(loadFileDescriptorSetFromBuffer(options.descriptorSet)).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  options.logger.info({ port, services: options.services.map((s) => s.name) }, "gRPC server listening");

  return {
    port,
    shutdown: () =>
      new Promise<void>((resolve) => {
        health.setStatus("", "NOT_SERVING");
        for (const service of options.services) health.setStatus(service.name, "NOT_SERVING");
        server.tryShutdown(() => resolve());
      }),
  };
};

/** What a handler knows of its call: a signal aborted once the caller cancelled or the deadline passed. */
export interface CallContext {
  signal: AbortSignal;
}

/**
 * Adapts an async handler to grpc-js: typed errors become their status code, anything else
 * INTERNAL (logged, never leaked). The handler's `signal` stops work nobody waits for any more
 * (pass it on to Elasticsearch calls and waits).
 */
export const unary =
  <Req, Res>(logger: Logger, handler: (request: Req, metadata: grpc.Metadata, call: CallContext) => Promise<Res>): grpc.handleUnaryCall<Req, Res> =>
  (call, callback) => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    call.once("cancelled", abort);
    const deadline = call.getDeadline();
    const left = (deadline instanceof Date ? deadline.getTime() : Number(deadline)) - Date.now();
    const timer = Number.isFinite(left) ? setTimeout(abort, Math.max(0, left)) : undefined;
    // Failures are logged inside the call's span, so the log line carries its trace id.
    const handled = () =>
      handler(call.request, call.metadata, { signal: controller.signal }).catch((error: unknown) => {
        const code = toGrpcStatus(error).code ?? grpc.status.INTERNAL;
        if (code === grpc.status.INTERNAL) logger.error({ err: error, path: call.getPath() }, "unhandled error");
        else if (code === grpc.status.UNAVAILABLE || code === grpc.status.DEADLINE_EXCEEDED)
          logger.warn({ err: error, path: call.getPath() }, "dependency failed");
        throw error;
      });
    inServerSpan(call.getPath(), call.metadata, handled, (error) => toGrpcStatus(error).code ?? grpc.status.INTERNAL)
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toGrpcStatus(error)),
      )
      .finally(() => {
        clearTimeout(timer);
        call.removeListener("cancelled", abort);
      });
  };
