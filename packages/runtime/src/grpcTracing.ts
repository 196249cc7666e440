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
 * Client side: a CLIENT span per call, its W3C context written into the call's metadata (over a
 * `traceparent` the caller passed along, which is its parent anyway). Tracing off: the span is a
 * no-op and the metadata stays as the caller built it. A span that is not recorded (tracing off,
 * or this trace not sampled) still propagates its context, but nothing waits for the status to end it.
 */
export const traceCalls: grpc.Interceptor = (options, nextCall) => {
  const { name, options: spanOptions } = clientSpanOf(options.method_definition.path);
  const span = tracer.startSpan(name, spanOptions);
  const spanContext = trace.setSpan(context.active(), span);
  const recording = span.isRecording();
  return new grpc.InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      propagation.inject(spanContext, metadata, setter);
      if (!recording) return next(metadata, listener);
      next(metadata, {
        onReceiveStatus(status, nextStatus) {
          endRpcSpan(span, status.code, status.details);
          nextStatus(status);
        },
      });
    },
  });
};

const endRpcSpan = (span: Span, code: grpc.status, details: string) => {
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
