import type { AddressInfo } from "node:net";
import { inSpan, tracerFor } from "@bazaar/core/spans";
import { recordSpans, startTracing } from "@bazaar/runtime";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpServerSpans, resumeTraceContext } from "./httpSpans.js";

const CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

const app = express();
app.use(httpServerSpans);
app.use(express.json());
app.use(resumeTraceContext);
app.post("/v1/things/:id", async (req, res) => {
  // Work after the body parser: still in the request's trace.
  await inSpan(tracerFor("t"), "downstream", {}, () => Promise.resolve());
  res.status(req.params.id === "broken" ? 503 : 201).json({ got: req.body as unknown });
});
let base: string;
let server: ReturnType<typeof app.listen>;
beforeAll(async () => {
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

let tracing: ReturnType<typeof recordSpans> | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

const post = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ a: 1 }) });

/** Spans end when the response has finished; the client may see it a moment before. */
const settled = async (count: number) => {
  for (let i = 0; i < 50 && tracing!.spans().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return tracing!.spans();
};

describe("the gateway's HTTP server span", () => {
  it("continues the caller's traceparent, answers with the trace's ids, and names the route", async () => {
    tracing = recordSpans("gateway");
    const res = await post("/v1/things/t-1", { traceparent: CALLER });
    expect(res.status).toBe(201);
    const spans = await settled(2);
    const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
    expect(server.name).toBe("POST /v1/things/:id");
    expect(server.spanContext().traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(server.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    expect(server.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/things/:id",
      "http.response.status_code": 201,
      "url.path": "/v1/things/t-1",
    });
    expect(res.headers.get("x-trace-id")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(res.headers.get("traceparent")).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${server.spanContext().spanId}-01`);
    expect(spans.find((s) => s.name === "downstream")!.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });

  it("starts a new trace for a malformed traceparent, and marks a 5xx failed", async () => {
    tracing = recordSpans("gateway");
    const res = await post("/v1/things/broken", { traceparent: "00-not-a-trace" });
    expect(res.status).toBe(503);
    const server = (await settled(2)).find((s) => s.kind === SpanKind.SERVER)!;
    expect(server.parentSpanContext).toBeUndefined();
    expect(res.headers.get("x-trace-id")).toBe(server.spanContext().traceId);
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("passes an unsampled caller's trace on without recording anything of it", async () => {
    const exported: unknown[] = [];
    const exporter = {
      export: (spans: unknown[], done: (result: { code: number }) => void) => (exported.push(...spans), done({ code: 0 })),
      shutdown: async () => undefined,
    };
    const following = startTracing(
      { endpoint: undefined, sampler: { name: "parentbased_always_on", ratio: 1 }, serviceName: undefined },
      { serviceName: "gateway", exporter },
    );
    tracing = { spans: () => [], shutdown: () => following.shutdown() };
    const res = await post("/v1/things/t-3", { traceparent: CALLER.replace(/-01$/, "-00") });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-trace-id")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(res.headers.get("traceparent")).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exported).toEqual([]);
  });

  it("adds no header when tracing is off", async () => {
    const res = await post("/v1/things/t-2", { traceparent: CALLER });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-trace-id")).toBeNull();
    expect(res.headers.get("traceparent")).toBeNull();
  });
});
