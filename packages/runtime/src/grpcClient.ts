import type { CallOptions, ClientUnaryCall, Metadata, ServiceError } from "@grpc/grpc-js";
import { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import { fromGrpcError } from "./grpcErrors.js";
import { serviceCallInterceptor, type ServiceCallSettings } from "./serviceCallInterceptor.js";

export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/**
 * One attempt of a generated unary method with a deadline `timeoutMs` from now; a failure comes
 * back as a typed error. When `signal` aborts, the call is cancelled (the server's handler sees
 * it) and the caller gets the signal's reason.
 */
export const callUnary = <Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: { timeoutMs: number; metadata?: Metadata | undefined; signal?: AbortSignal | undefined },
): Promise<Res> =>
  new Promise<Res>((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) return reject(signal.reason as Error);
    // Only a call with a signal pays for a listener.
    let onAbort: (() => void) | undefined;
    const call = method(request, options.metadata ?? new GrpcMetadata(), { deadline: Date.now() + options.timeoutMs }, (error, response) => {
      if (onAbort) signal!.removeEventListener("abort", onAbort);
      if (error) reject(fromGrpcError(error));
      else resolve(response);
    });
    if (signal) {
      onAbort = () => {
        reject(signal.reason as Error);
        call.cancel();
      };
      signal.addEventListener("abort", onAbort, { once: true });
    }
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

/**
 * Options for a client of ours: CHANNEL_OPTIONS, a client span per call, and `caller`'s service
 * token on every call; given the process's `metrics` registry, also every call counted and timed
 * per method and status code (the `bazaar_grpc_client_*` RED metrics). One interceptor does all three.
 */
export const serviceClientOptions = (auth: ServiceCallSettings) => ({
  ...CHANNEL_OPTIONS,
  interceptors: [serviceCallInterceptor(auth)],
});
