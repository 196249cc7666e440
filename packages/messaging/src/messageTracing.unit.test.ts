import type { EventEnvelope } from "@bazaar/core";
import { inSpan, traceparentOf, tracerFor } from "@bazaar/core/spans";
import { recordSpans } from "@bazaar/runtime";
import { headers } from "@nats-io/transport-node";
import { SpanKind } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeEnvelope, encodeEnvelope } from "./envelopeCodec.js";
import { inBatchSpan, inEventSpan, inPublishSpan, startEventSpans } from "./messageTracing.js";

const eventIn = (traceparent: string | undefined, version = 1): EventEnvelope => ({
  eventId: `e-${version}`,
  type: "ordering.OrderPlaced.v1",
  streamId: "order-1",
  version,
  recordedAt: new Date("2026-11-30T12:00:00Z"),
  data: {},
  metadata: { causationId: "c", correlationId: "r", actor: "a", traceparent },
});

let tracing: ReturnType<typeof recordSpans>;
beforeEach(() => {
  tracing = recordSpans("messaging-test");
});
afterEach(() => tracing.shutdown());

const spanNamed = (name: string) => tracing.spans().find((s) => s.name === name)!;

describe("message spans", () => {
  it("publishes as a child of the context the event was stored in, and sends the publish's own context", async () => {
    const stored = await inSpan(tracerFor("t"), "append", {}, () => Promise.resolve(traceparentOf()));
    const event = eventIn(stored);
    const encoded = encodeEnvelope(event);
    await inPublishSpan(event, "ordering.events.order-1", encoded.headers, () => Promise.resolve());
    const append = spanNamed("append");
    const publish = spanNamed("publish ordering.events.order-1");
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.parentSpanContext?.spanId).toBe(append.spanContext().spanId);
    expect(publish.attributes).toMatchObject({
      "messaging.system": "nats",
      "messaging.destination.name": "ordering.events.order-1",
      "messaging.message.id": "e-1",
      "bazaar.stream.version": 1,
    });
    // A consumer decodes the publish's context as the event's.
    expect(decodeEnvelope(encoded.headers, encoded.payload).metadata.traceparent).toBe(
      `00-${publish.spanContext().traceId}-${publish.spanContext().spanId}-01`,
    );
  });

  it("runs a batch as a root span linked to every event's trace, and each event's work in that event's trace", async () => {
    const [first, second] = await Promise.all(["one", "two"].map((name) => inSpan(tracerFor("t"), name, {}, () => Promise.resolve(traceparentOf()))));
    const events = [eventIn(first, 1), eventIn(second, 2), eventIn(undefined, 3)];
    await inSpan(tracerFor("t"), "unrelated caller", {}, () =>
      inBatchSpan("order-stock", "ordering", events, async () => {
        await inEventSpan("t", "react", events[0]!, { "bazaar.reaction": "order-stock" }, () => Promise.resolve());
        const applies = startEventSpans("t", "apply", events.slice(1), {});
        applies.end(events[1]!, { "bazaar.projection.outcome": "applied" });
        applies.fail(new Error("bulk failed"));
      }),
    );
    const batch = spanNamed("process ordering");
    expect(batch.kind).toBe(SpanKind.CONSUMER);
    expect(batch.parentSpanContext).toBeUndefined();
    expect(batch.links.map((l) => l.context.traceId)).toEqual([spanNamed("one").spanContext().traceId, spanNamed("two").spanContext().traceId]);
    expect(batch.attributes).toMatchObject({ "messaging.batch.message_count": 3, "messaging.consumer.group.name": "order-stock" });
    const react = spanNamed("react");
    expect(react.parentSpanContext?.spanId).toBe(spanNamed("one").spanContext().spanId);
    expect(react.links.map((l) => l.context.spanId)).toEqual([batch.spanContext().spanId]);
    const applies = tracing.spans().filter((s) => s.name === "apply");
    expect(applies.map((s) => [s.attributes["bazaar.stream.version"], s.attributes["bazaar.projection.outcome"], s.status.code])).toEqual([
      [2, "applied", 0],
      [3, undefined, 2],
    ]);
    expect(applies[0]!.parentSpanContext?.spanId).toBe(spanNamed("two").spanContext().spanId);
    // An event without a trace starts one of its own, still linked to the batch.
    expect(applies[1]!.parentSpanContext).toBeUndefined();
    expect(applies[1]!.links.map((l) => l.context.spanId)).toEqual([batch.spanContext().spanId]);
  });

  it("keeps the stored traceparent in the headers when tracing is off", async () => {
    await tracing.shutdown();
    const event = eventIn("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    const h = headers();
    h.set("traceparent", event.metadata.traceparent!);
    await inPublishSpan(event, "s", h, () => Promise.resolve());
    expect(h.get("traceparent")).toBe(event.metadata.traceparent);
  });
});
