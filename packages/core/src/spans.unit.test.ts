import { trace, type Span, type Tracer, type TracerProvider } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { tracerFor } from "./spans.js";

/** A provider whose tracers only note the spans started through them. */
const noting = (started: string[], label: string): TracerProvider => ({
  getTracer: (name) =>
    ({
      startSpan: (spanName: string) => (
        started.push(`${label}:${name}:${spanName}`),
        trace.wrapSpanContext({ traceId: "0".repeat(31) + "1", spanId: "0".repeat(15) + "1", traceFlags: 1 }) as Span
      ),
    }) as unknown as Tracer,
});

afterEach(() => trace.disable());

describe("tracerFor", () => {
  it("follows the registered provider: spans of a tracer taken before registration reach it, and a provider registered anew replaces it", () => {
    const tracer = tracerFor("@bazaar/test");
    tracer.startSpan("before");
    const started: string[] = [];
    trace.setGlobalTracerProvider(noting(started, "first"));
    tracer.startSpan("one");
    tracer.startSpan("two");
    trace.disable();
    trace.setGlobalTracerProvider(noting(started, "second"));
    tracer.startSpan("three");
    expect(started).toEqual(["first:@bazaar/test:one", "first:@bazaar/test:two", "second:@bazaar/test:three"]);
  });

  it("asks the provider for its tracer once, not at every span", () => {
    let asked = 0;
    const started: string[] = [];
    const provider = noting(started, "p");
    trace.setGlobalTracerProvider({ getTracer: (...args) => (asked++, provider.getTracer(...args)) });
    const tracer = tracerFor("@bazaar/test");
    for (let i = 0; i < 5; i++) tracer.startSpan(`span ${i}`);
    expect(started).toHaveLength(5);
    expect(asked).toBe(1);
  });
});
