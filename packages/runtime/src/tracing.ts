import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { z } from "zod";

const SAMPLERS = ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"] as const;

/**
 * The standard OpenTelemetry variables, as every process reads them. No endpoint means tracing
 * is off. `OTEL_EXPORTER_OTLP_ENDPOINT` is the collector's base URL (`/v1/traces` is added, as
 * the specification says); `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is the full URL and wins.
 */
export const tracingEnv = z
  .object({
    OTEL_SDK_DISABLED: z.enum(["true", "false"]).default("false"),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
    OTEL_TRACES_SAMPLER: z.enum(SAMPLERS).default("parentbased_traceidratio"),
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
    OTEL_SERVICE_NAME: z.string().min(1).optional(),
  })
  .transform((e) => ({
    endpoint:
      e.OTEL_SDK_DISABLED === "true"
        ? undefined
        : (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
          (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces` : undefined)),
    sampler: { name: e.OTEL_TRACES_SAMPLER, ratio: e.OTEL_TRACES_SAMPLER_ARG },
    serviceName: e.OTEL_SERVICE_NAME,
  }));

export type TracingSettings = z.infer<typeof tracingEnv>;

export const samplerFor = ({ name, ratio }: TracingSettings["sampler"]): Sampler => {
  switch (name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
};

export interface Tracing {
  /** Whether spans are recorded and exported at all. */
  readonly enabled: boolean;
  /** Exports what is buffered, then unregisters: a shutdown step of the process. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

/**
 * Starts tracing for this process: a tracer provider named `service.name` (OTEL_SERVICE_NAME
 * wins over `serviceName`), W3C trace context propagation, async-context tracking, and OTLP over
 * HTTP to the configured endpoint in batches. Without an endpoint (and without `exporter`, which
 * tests pass) nothing is registered: the API stays the no-op it is by default.
 */
export const startTracing = (
  settings: TracingSettings,
  identity: { serviceName: string; attributes?: Record<string, string>; exporter?: SpanExporter },
): Tracing => {
  if (!settings.endpoint && !identity.exporter) return OFF;
  const processor = identity.exporter
    ? new SimpleSpanProcessor({ exporter: identity.exporter })
    : new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.endpoint! }) });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ ...identity.attributes, [ATTR_SERVICE_NAME]: settings.serviceName ?? identity.serviceName }),
    sampler: samplerFor(settings.sampler),
    spanProcessors: [processor],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    enabled: true,
    async shutdown() {
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
};

/**
 * Tracing that keeps every finished span in memory, every trace sampled: what unit tests of
 * spans read. Shut it down at the end of the test (it unregisters like any other).
 */
export const recordSpans = (serviceName = "test") => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ endpoint: undefined, sampler: { name: "always_on", ratio: 1 }, serviceName: undefined }, { serviceName, exporter });
  return { spans: (): ReadableSpan[] => exporter.getFinishedSpans(), shutdown: () => tracing.shutdown() };
};
