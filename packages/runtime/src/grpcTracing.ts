import { recordFailure, tracerFor } from "@bazaar/core/spans";
import * as grpc from "@grpc/grpc-js";
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapGetter,
  type TextMapSetter,
} from "@opentelemetry/api";

const tracer = tracerFor("@bazaar/runtime/grpc");

const setter: TextMapSetter<grpc.Metadata> = { set: (metadata, key, value) => metadata.set(key, value) };
const getter: TextMapGetter<grpc.Metadata> = {
  get: (metadata, key) => {
    const value = metadata.get(key)[0];
    return typeof value === "string" ? value : undefined;
  },
  keys: (metadata) => Object.keys(metadata.getMap()),
};

/** `/bazaar.ordering.v1.OrderingCommandService/PlaceOrder` → rpc.* attributes (semantic conventions). */
const rpcAttributes = (path: string) => {
  const [service = "", method = ""] = path.slice(1).split("/");
  return { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method };
};

/** A client span's name and options per method path: the same for every call, so built on its first. */
const clientSpans = new Map<string, { name: string; options: SpanOptions }>();
const clientSpanOf = (path: string) => {
  let span = clientSpans.get(path);
  if (!span) clientSpans.set(path, (span = { name: path.slice(1), options: { kind: SpanKind.CLIENT, attributes: rpcAttributes(path) } }));
  return span;
};

/**
 * Client side: a CLIENT span for one call of `path`, child of the active context. Tracing off, it
 * is a no-op; a span that is not recorded (tracing off, or this trace not sampled) still
 * propagates its context (injectSpanContext), but nothing needs to end it (endRpcSpan).
 */
export const startClientSpan = (path: string): Span => {
  const { name, options } = clientSpanOf(path);
  return tracer.startSpan(name, options);
};

/**
 * Writes `span`'s W3C context into a call's metadata, over a `traceparent` the caller passed along
 * (its parent anyway). Called while the call is being made, so the active context is the caller's.
 * Tracing off, no propagator is registered and the metadata stays as the caller built it.
 */
export const injectSpanContext = (span: Span, metadata: grpc.Metadata) => propagation.inject(trace.setSpan(context.active(), span), metadata, setter);

/** Ends a call's span with its status code (an error status for anything but OK). */
export const endRpcSpan = (span: Span, code: grpc.status, details: string) => {
  span.setAttribute("rpc.grpc.status_code", code);
  if (code !== grpc.status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: `${grpc.status[code]}: ${details}` });
  span.end();
};

const SERVER_FAULTS = new Set([
  grpc.status.UNKNOWN,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.UNIMPLEMENTED,
  grpc.status.INTERNAL,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
]);

/** The trace context a call's metadata carries (the root context when none, or tracing is off). */
export const contextOfCall = (metadata: grpc.Metadata): Context => propagation.extract(ROOT_CONTEXT, metadata, getter);

/**
 * Server side: runs a handler inside a SERVER span that continues the caller's trace, so every
 * span the handler starts (the append, calls onwards) joins it. Ends with the call's status code.
 */
export const inServerSpan = <T>(path: string, metadata: grpc.Metadata, work: () => Promise<T>, statusOf: (error: unknown) => grpc.status): Promise<T> =>
  tracer.startActiveSpan(path.slice(1), { kind: SpanKind.SERVER, attributes: rpcAttributes(path) }, contextOfCall(metadata), async (span) => {
    try {
      const result = await work();
      endRpcSpan(span, grpc.status.OK, "");
      return result;
    } catch (error) {
      const code = statusOf(error);
      span.setAttribute("rpc.grpc.status_code", code);
      // A caller's mistake (INVALID_ARGUMENT, NOT_FOUND, …) is no failure of the server's (semantic conventions).
      if (SERVER_FAULTS.has(code)) recordFailure(span, error);
      span.end();
      throw error;
    }
  });
