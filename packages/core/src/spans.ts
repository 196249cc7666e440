import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";

/**
 * Span helpers every package shares. They go through the OpenTelemetry API only: until a process
 * registers a tracer provider (runtime's startTracing) every call is a no-op that costs nothing.
 */

/**
 * The tracer of one of Bazaar's packages (`@bazaar/messaging`, `gateway`, …), looked up again
 * whenever the registered provider changed. Not `trace.getTracer` once at import: packages may
 * each hold their own copy of the API, and a tracer one copy hands out before another copy
 * registers the provider stays a no-op for good. Not at each span either: without a provider that
 * is a new proxy tracer per span, on every request.
 */
export const tracerFor = (name: string): Tracer => {
  let provider: TracerProvider | undefined;
  let tracer: Tracer | undefined;
  const current = (): Tracer => {
    const registered = trace.getTracerProvider();
    if (registered !== provider || tracer === undefined) {
      provider = registered;
      tracer = registered.getTracer(name);
    }
    return tracer;
  };
  return {
    startSpan: (spanName, options, ctx) => current().startSpan(spanName, options, ctx),
    startActiveSpan: (...args: unknown[]) => (current().startActiveSpan as (...a: unknown[]) => unknown)(...args),
  };
};

/** Marks a span failed with the error's name and message (never its cause's data). */
export const recordFailure = (span: Span, error: unknown): void => {
  if (error instanceof Error) span.recordException({ name: error.name, message: error.message });
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
};

/**
 * Runs `work` inside a new active span (a child of `parent`, by default the active context) and
 * ends it when `work` settles; a throw marks the span failed and is rethrown.
 */
export const inSpan = <T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> =>
  tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });

/** The W3C `traceparent` of a context's span; undefined when tracing is off or no span is there. */
export const traceparentOf = (ctx: Context = context.active()): string | undefined => {
  const carrier: { traceparent?: string } = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
};

/** The context a W3C `traceparent` continues (the root context when there is none or tracing is off). */
export const contextOfTraceparent = (traceparent: string | undefined): Context =>
  traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
