import { CatalogQueryServiceService, type GetProductRequest, type GetProductResponse } from "@bazaar/contracts/catalog/v1";
import { methodIdempotency } from "@bazaar/contracts/descriptors";
import {
  CHANNEL_OPTIONS,
  createMetricsRegistry,
  createResilience,
  createUnaryClient,
  grpcClientMetrics,
  resilienceMiddleware,
  serviceClientOptions,
  type UnaryMethod,
} from "@bazaar/runtime";
import { credentials, makeGenericClientConstructor, Metadata } from "@grpc/grpc-js";

/** One way to call GetProduct: what a caller's code awaits, and how to close it. */
export interface ClientStack {
  call(request: GetProductRequest): Promise<GetProductResponse>;
  close(): void;
}

const SECRET = "grpc-client-bench-secret-0123456789abcdef";

/** grpc-js alone: the generated method, a deadline, a promise. The floor any client pays. */
const bare = (address: string): ClientStack => {
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

/** The factory (typed errors, deadline per attempt) with the channel options and nothing else. */
const factory = (address: string): ClientStack => {
  const client = createUnaryClient(CatalogQueryServiceService, {
    service: "catalog",
    address,
    channelOptions: CHANNEL_OPTIONS,
    timeoutMs: 5_000,
    idempotencyOf: methodIdempotency,
  });
  return { call: (request) => client.getProduct(request), close: () => client.close() };
};

/** The factory with the interceptors every gateway call has: RED metrics, the client span, the service token. */
const intercepted = (address: string, withGuard: boolean): ClientStack => {
  const registry = createMetricsRegistry("bench");
  const serviceOptions = serviceClientOptions({ secret: SECRET, caller: "gateway" });
  const resilience = createResilience({ registry, metricsPrefix: "bazaar_gateway" });
  const client = createUnaryClient(CatalogQueryServiceService, {
    service: "catalog",
    address,
    channelOptions: { ...serviceOptions, interceptors: [grpcClientMetrics(registry), ...serviceOptions.interceptors] },
    timeoutMs: 5_000,
    // The gateway's request budget, read per attempt (its value here never runs out).
    remainingMs: () => 60_000,
    idempotencyOf: methodIdempotency,
    ...(withGuard && { middleware: resilienceMiddleware(resilience) }),
  });
  return {
    call: (request) => client.getProduct(request),
    close() {
      client.close();
      resilience.close();
    },
  };
};

/** From the floor to the gateway's client as gateway/src/main.ts composes it, one layer at a time. */
export const CLIENT_STACKS = {
  bare: bare,
  factory: factory,
  "factory + interceptors": (address: string) => intercepted(address, false),
  "gateway client (+ guard)": (address: string) => intercepted(address, true),
} satisfies Record<string, (address: string) => ClientStack>;
