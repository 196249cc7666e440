import { CatalogQueryServiceService, type GetProductRequest, type GetProductResponse } from "@bazaar/contracts/catalog/v1";
import { methodIdempotency } from "@bazaar/contracts/descriptors";
import type { UnaryMethod } from "@bazaar/runtime";
import { credentials, makeGenericClientConstructor, Metadata } from "@grpc/grpc-js";

/** One way to call GetProduct: what a caller's code awaits, and how to close it. */
export interface ClientStack {
  call(request: GetProductRequest): Promise<GetProductResponse>;
  close(): void;
}

const SECRET = "grpc-client-bench-secret-0123456789abcdef";
/** Our runtime package: this checkout's, or another build's (--against) to compare with it in one run. */
export type Runtime = typeof import("@bazaar/runtime");
/** grpc-js's own channel options are the same in every build: the bare client uses these. */
const CHANNEL_OPTIONS = { "grpc.initial_reconnect_backoff_ms": 250, "grpc.max_reconnect_backoff_ms": 2_000 };

/** grpc-js alone: the generated method, a deadline, a promise. The floor any client pays. */
export const bareClient = (address: string): ClientStack => {
  const Client = makeGenericClientConstructor(CatalogQueryServiceService, "catalog");
  const client = new Client(address, credentials.createInsecure(), CHANNEL_OPTIONS) as unknown as {
    getProduct: UnaryMethod<GetProductRequest, GetProductResponse>;
    close(): void;
  };
  return {
    call: (request) =>
      new Promise((resolve, reject) =>
        client.getProduct(request, new Metadata(), { deadline: Date.now() + 5_000 }, (error, response) => (error ? reject(error) : resolve(response))),
      ),
    close: () => client.close(),
  };
};

/**
 * A runtime's clients, from the factory alone (typed errors, a deadline per attempt) to the
 * gateway's client as gateway/src/main.ts composes it: the options every gateway call has
 * (RED metrics, the client span, the service token: serviceClientOptions), then the resilience guard.
 */
export const runtimeClients = (runtime: Runtime) => {
  const factory = (address: string): ClientStack => {
    const client = runtime.createUnaryClient(CatalogQueryServiceService, {
      service: "catalog",
      address,
      channelOptions: runtime.CHANNEL_OPTIONS,
      timeoutMs: 5_000,
      idempotencyOf: methodIdempotency,
    });
    return { call: (request) => client.getProduct(request), close: () => client.close() };
  };
  const intercepted = (address: string, withGuard: boolean): ClientStack => {
    const registry = runtime.createMetricsRegistry("bench");
    const resilience = runtime.createResilience({ registry, metricsPrefix: "bazaar_gateway" });
    const client = runtime.createUnaryClient(CatalogQueryServiceService, {
      service: "catalog",
      address,
      channelOptions: runtime.serviceClientOptions({ secret: SECRET, caller: "gateway", metrics: registry }),
      timeoutMs: 5_000,
      // The gateway's request budget, read per attempt (its value here never runs out).
      remainingMs: () => 60_000,
      idempotencyOf: methodIdempotency,
      ...(withGuard && { middleware: runtime.resilienceMiddleware(resilience) }),
    });
    return {
      call: (request) => client.getProduct(request),
      close() {
        client.close();
        resilience.close();
      },
    };
  };
  return {
    factory,
    "factory + interceptors": (address: string) => intercepted(address, false),
    "gateway client": (address: string) => intercepted(address, true),
  } satisfies Record<string, (address: string) => ClientStack>;
};
