import { ConcurrencyError } from "@bazaar/core";
import { inSpan, traceparentOf, tracerFor } from "@bazaar/core/spans";
import { recordSpans } from "@bazaar/runtime";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { withAppendSpans } from "./appendSpans.js";
import { createMemoryEventStore } from "./memoryEventStore.js";

const GIVEN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const newEvent = (n: number) => ({
  eventId: `00000000-0000-4000-8000-00000000000${n}`,
  type: "test.Happened.v1",
  recordedAt: new Date(),
  data: { n },
  metadata: { causationId: "c", correlationId: "r", actor: "a", traceparent: GIVEN },
});

let tracing: ReturnType<typeof recordSpans> | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe("append spans", () => {
  it("records the stream, expected and next version and event count, and stamps the events with the append's context", async () => {
    tracing = recordSpans();
    const store = withAppendSpans(createMemoryEventStore(), "ordering");
    await inSpan(tracerFor("t"), "command", {}, async () => {
      await store.append("order-1", 0, [newEvent(1), newEvent(2)]);
      await expect(store.append("order-1", 0, [newEvent(3)])).rejects.toBeInstanceOf(ConcurrencyError);
    });
    const [first, lost] = tracing.spans().filter((s) => s.name === "append ordering.events");
    const command = tracing.spans().find((s) => s.name === "command")!;
    expect(first!.kind).toBe(SpanKind.CLIENT);
    expect(first!.parentSpanContext?.spanId).toBe(command.spanContext().spanId);
    expect(first!.attributes).toMatchObject({
      "db.system.name": "cassandra",
      "db.namespace": "ordering",
      "bazaar.stream.id": "order-1",
      "bazaar.stream.expected_version": 0,
      "bazaar.stream.next_version": 2,
      "bazaar.event.count": 2,
    });
    expect(lost!.status.code).toBe(SpanStatusCode.ERROR);
    const stored = await store.readStream("order-1");
    expect(stored.map((e) => e.metadata.traceparent)).toEqual([0, 1].map(() => `00-${first!.spanContext().traceId}-${first!.spanContext().spanId}-01`));
  });

  it("keeps the traceparent the events came with when tracing is off", async () => {
    const store = withAppendSpans(createMemoryEventStore(), "ordering");
    expect(traceparentOf()).toBeUndefined();
    await store.append("order-1", 0, [newEvent(1)]);
    expect((await store.readStream("order-1"))[0]!.metadata.traceparent).toBe(GIVEN);
  });
});
