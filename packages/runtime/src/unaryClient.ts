import { credentials, makeGenericClientConstructor, type ChannelOptions, type Metadata, type MethodDefinition, type ServiceDefinition } from "@grpc/grpc-js";
import { callUnary, type UnaryMethod } from "./grpcClient.js";

/** Whether a method may be called again with the same effect, as its proto's `idempotency_level` says. */
export type Idempotency = "no-side-effects" | "idempotent" | "unknown";

/** A downstream method as the middleware sees it: built once per method, shared by its calls. */
export interface UnaryMethodInfo {
  /** The downstream, as metrics and errors name it ("catalog"). */
  readonly service: string;
  /** The generated method's name ("getProduct"). */
  readonly method: string;
  /** The gRPC path ("/bazaar.catalog.v1.CatalogQueryService/GetProduct"). */
  readonly path: string;
  readonly idempotency: Idempotency;
  /** Declared IDEMPOTENT or NO_SIDE_EFFECTS: another attempt after a failure is safe. */
  readonly retryable: boolean;
}

/**
 * What every call of a client goes through: it runs `attempt` once, again, or not at all
 * (bulkhead, breaker, retry). `signal` is the caller's: no attempt should start after it aborts.
 */
export type UnaryMiddleware = <Res>(method: UnaryMethodInfo, request: unknown, attempt: () => Promise<Res>, signal: AbortSignal | undefined) => Promise<Res>;

/** A unary call of a client: typed errors back, cancelled when `signal` aborts. */
export type UnaryCall<Req, Res> = (request: Req, metadata?: Metadata, signal?: AbortSignal) => Promise<Res>;

/** The unary methods of a generated (ts-proto `outputServices=grpc-js`) service definition, as calls. */
export type UnaryClient<Service> = {
  [Name in keyof Service]: Service[Name] extends MethodDefinition<infer Req, infer Res> ? UnaryCall<Req, Res> : never;
} & { close(): void };

export interface UnaryClientSettings {
  /** The downstream's name, for the middleware (metrics labels, error messages). */
  service: string;
  address: string;
  channelOptions: ChannelOptions;
  /** Each attempt's gRPC deadline: at most this… */
  timeoutMs: number;
  /** …and at most what is left of the caller's time budget (the gateway's request budget). */
  remainingMs?: () => number;
  /** What each method's proto declares (the contracts' `methodIdempotency`). */
  idempotencyOf: (path: string) => Idempotency;
  middleware?: UnaryMiddleware;
}

const direct: UnaryMiddleware = (_method, _request, attempt) => attempt();

/**
 * The one way to call a context over gRPC: a client for every unary method of `definition`, each
 * call going through `middleware` with one attempt that carries a deadline (the smaller of
 * `timeoutMs` and the caller's remaining budget, taken anew per attempt), the caller's metadata
 * and signal, and that turns a failure into a typed error. What a call needs of its method
 * (info, bound generated method) is built here, once, not per call.
 */
export const createUnaryClient = <Service extends ServiceDefinition>(definition: Service, settings: UnaryClientSettings): UnaryClient<Service> => {
  const Client = makeGenericClientConstructor(definition, settings.service);
  const client = new Client(settings.address, credentials.createInsecure(), settings.channelOptions) as unknown as Record<
    string,
    UnaryMethod<unknown, unknown>
  > & { close(): void };
  const middleware = settings.middleware ?? direct;
  const { timeoutMs, remainingMs } = settings;
  const deadlineMs = remainingMs ? () => Math.min(timeoutMs, remainingMs()) : () => timeoutMs;
  const calls: Record<string, unknown> = { close: () => client.close() };
  for (const [name, method] of Object.entries(definition)) {
    if (method.requestStream || method.responseStream) continue;
    const idempotency = settings.idempotencyOf(method.path);
    const info: UnaryMethodInfo = { service: settings.service, method: name, path: method.path, idempotency, retryable: idempotency !== "unknown" };
    const generated = client[name]!.bind(client);
    calls[name] = (request: unknown, metadata?: Metadata, signal?: AbortSignal) =>
      middleware(info, request, () => callUnary(generated, request, { timeoutMs: deadlineMs(), metadata, signal }), signal);
  }
  return calls as UnaryClient<Service>;
};
