import type { CallOptions, ClientUnaryCall, Metadata, ServiceError } from "@grpc/grpc-js";
import { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import { fromGrpcError } from "./grpcErrors.js";
import { traceCalls } from "./grpcTracing.js";
import { serviceCallCredentials } from "./serviceAuth.js";

export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Calls a generated unary method with a deadline; a failure comes back as a typed error. */
export const callUnary = <Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: { timeoutMs: number; metadata?: Metadata },
): Promise<Res> =>
  new Promise<Res>((resolve, reject) => {
    method(request, options.metadata ?? new GrpcMetadata(), { deadline: Date.now() + options.timeoutMs }, (error, response) =>
      error ? reject(fromGrpcError(error)) : resolve(response),
    );
  });

/**
 * Channel options for every client of ours. grpc-js backs reconnection off up to 120 s, so a
 * context restarted after a minute's outage stayed unreachable ("No connection established") for
 * up to another minute; reconnecting every 0.25–2 s lets its callers see it within seconds. The
 * cost is a connection attempt every 2 s to a peer that is down.
 */
export const CHANNEL_OPTIONS = {
  "grpc.initial_reconnect_backoff_ms": 250,
  "grpc.max_reconnect_backoff_ms": 2_000,
} as const;

/** Options for a client of ours: CHANNEL_OPTIONS, a client span per call, and `caller`'s service token on every call. */
export const serviceClientOptions = (auth: { secret: string; caller: string }) => ({
  ...CHANNEL_OPTIONS,
  interceptors: [traceCalls, serviceCallCredentials(auth.secret, auth.caller)],
});
