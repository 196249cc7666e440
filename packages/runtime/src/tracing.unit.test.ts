import { ValidationError } from "@bazaar/core";
import { inSpan, tracerFor } from "@bazaar/core/spans";
import * as grpc from "@grpc/grpc-js";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { serviceClientOptions } from "./grpcClient.js";
import { unary } from "./grpcServer.js";
import { createLogger } from "./logger.js";
import { startTracing, tracingEnv, type Tracing } from "./tracing.js";
import { jsonGrpcMethod } from "../../../test/fakes/jsonGrpcMethod.js";

const definition: grpc.ServiceDefinition = { echo: jsonGrpcMethod("/test.Echo/Echo") };
/** Our clients' interceptor, as every client of ours has it (no metrics registry: spans only matter here). */
const clientOptions = serviceClientOptions({ secret: "a-service-secret-of-at-least-32-bytes!!", caller: "gateway" });

let tracing: Tracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe("tracing settings", () => {
  it("is off without an endpoint, and on with the standard variables", () => {
    expect(loadConfig(tracingEnv, {}).endpoint).toBeUndefined();
    expect(loadConfig(tracingEnv, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318/" }).endpoint).toBe("http://127.0.0.1:4318/v1/traces");
    expect(loadConfig(tracingEnv, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:4318/traces" }).endpoint).toBe(
      "http://b:4318/traces",
    );
    expect(loadConfig(tracingEnv, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_SDK_DISABLED: "true" }).endpoint).toBeUndefined();
    expect(loadConfig(tracingEnv, {}).sampler).toEqual({ name: "parentbased_traceidratio", ratio: 1 });
    expect(loadConfig(tracingEnv, { OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1", OTEL_SERVICE_NAME: "x" })).toMatchObject({
      sampler: { name: "traceidratio", ratio: 0.1 },
      serviceName: "x",
    });
  });

  it("refuses a sampler it does not know and a ratio outside 0..1, naming the variable", () => {
    expect(() => loadConfig(tracingEnv, { OTEL_TRACES_SAMPLER: "sometimes" })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => loadConfig(tracingEnv, { OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => loadConfig(tracingEnv, { OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it("registers nothing when off: spans are no-ops", () => {
    tracing = startTracing(loadConfig(tracingEnv, {}), { serviceName: "off" });
    expect(tracing.enabled).toBe(false);
    const span = trace.getTracer("t").startSpan("nothing");
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe("00000000000000000000000000000000");
  });

  it("names the process's service and samples by the configured ratio", async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing(loadConfig(tracingEnv, { OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0" }), { serviceName: "catalog", exporter });
    await inSpan(tracerFor("t"), "never sampled", {}, () => Promise.resolve());
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await tracing.shutdown();
    const next = new InMemorySpanExporter();
    tracing = startTracing(loadConfig(tracingEnv, { OTEL_SERVICE_NAME: "renamed" }), { serviceName: "catalog", exporter: next });
    await inSpan(tracerFor("t"), "sampled", {}, () => Promise.resolve());
    expect(next.getFinishedSpans().map((s) => [s.name, s.resource.attributes["service.name"]])).toEqual([["sampled", "renamed"]]);
  });
});

describe("gRPC spans and log lines", () => {
  it("continues the caller's trace on the server, and a log line there carries its ids", async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing(loadConfig(tracingEnv, {}), { serviceName: "grpc-test", exporter });
    const lines: string[] = [];
    const logger = createLogger("grpc-test", {}, { write: (line: string) => void lines.push(line) });
    const server = new grpc.Server();
    server.addService(definition, {
      echo: unary(logger, (request: { fail?: boolean }) => {
        logger.info({}, "handling");
        return request.fail ? Promise.reject(new ValidationError([{ field: "fail", message: "asked to" }])) : Promise.reject(new Error("boom"));
      }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const Client = grpc.makeGenericClientConstructor(definition, "Echo");
    const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), clientOptions) as grpc.Client &
      Record<string, grpc.requestCallback<unknown> & ((...args: unknown[]) => unknown)>;
    const call = (request: object) =>
      new Promise<number>((resolve) =>
        (client.echo as (...args: unknown[]) => unknown).call(client, request, new grpc.Metadata(), {}, (error: grpc.ServiceError | null) =>
          resolve(error?.code ?? 0),
        ),
      );
    try {
      const codes = await inSpan(tracerFor("t"), "request", {}, async () => [await call({ fail: true }), await call({})]);
      expect(codes).toEqual([grpc.status.INVALID_ARGUMENT, grpc.status.INTERNAL]);
    } finally {
      client.close();
      server.forceShutdown();
    }
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === "request")!;
    const clients = spans.filter((s) => s.kind === SpanKind.CLIENT);
    const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(clients).toHaveLength(2);
    expect(servers).toHaveLength(2);
    for (const [i, client] of clients.entries()) {
      expect(client.name).toBe("test.Echo/Echo");
      expect(client.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.service": "test.Echo", "rpc.method": "Echo" });
      expect(client.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(servers[i]!.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(servers[i]!.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
      expect(client.status.code).toBe(SpanStatusCode.ERROR);
    }
    // The caller's mistake is no server fault; the unhandled error is.
    expect(servers.map((s) => [s.attributes["rpc.grpc.status_code"], s.status.code])).toEqual([
      [grpc.status.INVALID_ARGUMENT, SpanStatusCode.UNSET],
      [grpc.status.INTERNAL, SpanStatusCode.ERROR],
    ]);
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; trace_id?: string; span_id?: string });
    const handling = logged.filter((l) => l.msg === "handling");
    expect(handling.map((l) => l.span_id)).toEqual(servers.map((s) => s.spanContext().spanId));
    expect(new Set(handling.map((l) => l.trace_id))).toEqual(new Set([request.spanContext().traceId]));
    expect(logged.find((l) => l.msg === "unhandled error")?.span_id).toBe(servers[1]!.spanContext().spanId);
  });

  it("a trace the sampler left out is still propagated by the client span, and nothing is exported", async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing(loadConfig(tracingEnv, { OTEL_TRACES_SAMPLER: "parentbased_always_off" }), { serviceName: "grpc-test", exporter });
    const received: string[] = [];
    const server = new grpc.Server();
    server.addService(definition, {
      echo: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<object>) => {
        received.push(String(call.metadata.get("traceparent")[0]));
        callback(null, {});
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const Client = grpc.makeGenericClientConstructor(definition, "Echo");
    const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), clientOptions) as grpc.Client &
      Record<string, (...args: unknown[]) => unknown>;
    try {
      const traceId = await inSpan(tracerFor("t"), "request", {}, async (span) => {
        await new Promise<void>((resolve, reject) =>
          client.echo!.call(client, {}, new grpc.Metadata(), {}, (error: grpc.ServiceError | null) => (error ? reject(error) : resolve())),
        );
        return span.spanContext().traceId;
      });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    } finally {
      client.close();
      server.forceShutdown();
    }
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("writes no trace ids when no span is active", () => {
    const lines: string[] = [];
    createLogger("quiet", {}, { write: (line: string) => void lines.push(line) }).info({}, "outside");
    expect(JSON.parse(lines[0]!)).not.toHaveProperty("trace_id");
  });
});
