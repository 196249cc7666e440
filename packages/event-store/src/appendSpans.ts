import { inSpan, traceparentOf, tracerFor } from "@bazaar/core/spans";
import { SpanKind } from "@opentelemetry/api";
import type { EventStore } from "./eventStore.js";

const tracer = tracerFor("@bazaar/event-store");

/**
 * An event store whose appends are spans (stream id, expected and next version, event count),
 * and whose events carry that span's `traceparent`: what consumes them — the publish, reactions,
 * projectors, also a relay's republish after a crash — continues the trace of the append. With
 * tracing off the events keep the `traceparent` they came with.
 */
export const withAppendSpans = (store: EventStore, keyspace: string): EventStore => ({
  ...store,
  append: (streamId, expectedVersion, events) =>
    inSpan(
      tracer,
      `append ${keyspace}.events`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "db.system.name": "cassandra",
          "db.namespace": keyspace,
          "db.collection.name": "events",
          "db.operation.name": "append",
          "bazaar.stream.id": streamId,
          "bazaar.stream.expected_version": expectedVersion,
          "bazaar.event.count": events.length,
        },
      },
      async (span) => {
        const traceparent = traceparentOf();
        const traced = traceparent ? events.map((event) => ({ ...event, metadata: { ...event.metadata, traceparent } })) : events;
        const result = await store.append(streamId, expectedVersion, traced);
        span.setAttribute("bazaar.stream.next_version", result.nextExpectedVersion);
        return result;
      },
    ),
});
