import type { EventEnvelope } from "@bazaar/core";
import { contextOfTraceparent, inSpan, recordFailure, tracerFor } from "@bazaar/core/spans";
import type { MsgHdrs } from "@nats-io/transport-node";
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Link, type Span } from "@opentelemetry/api";

const tracer = tracerFor("@bazaar/messaging");

/** The trace an event continues: the context its `traceparent` (stored with it, sent in its headers) names. */
export const contextOfEvent = (event: EventEnvelope) => contextOfTraceparent(event.metadata.traceparent);

const eventAttributes = (event: EventEnvelope): Attributes => ({
  "messaging.system": "nats",
  "messaging.message.id": event.eventId,
  "bazaar.event.type": event.type,
  "bazaar.stream.id": event.streamId,
  "bazaar.stream.version": event.version,
});

/**
 * A PRODUCER span for one event's publish, a child of the context the event was stored in; its own
 * context goes into the message's headers (`traceparent`), so consumers continue from the publish.
 */
export const inPublishSpan = <T>(event: EventEnvelope, subject: string, headers: MsgHdrs, publish: (subject: string) => Promise<T>): Promise<T> =>
  inSpan(
    tracer,
    `publish ${subject}`,
    { kind: SpanKind.PRODUCER, attributes: { ...eventAttributes(event), "messaging.operation.type": "send", "messaging.destination.name": subject } },
    () => {
      propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
      return publish(subject);
    },
    contextOfEvent(event),
  );

/** Links to each event's context: one batch serves many traces, and each of them should lead to it. */
const linksTo = (events: readonly EventEnvelope[]): Link[] =>
  events.flatMap((event) => {
    const spanContext = trace.getSpanContext(contextOfEvent(event));
    return spanContext && isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
  });

/**
 * A CONSUMER span for one batch a consumer handles: a root of its own (it belongs to no single
 * request) with a link to every event's trace.
 */
export const inBatchSpan = <T>(consumer: string, stream: string, events: readonly EventEnvelope[], work: () => Promise<T>): Promise<T> =>
  inSpan(
    tracer,
    `process ${stream}`,
    {
      kind: SpanKind.CONSUMER,
      links: linksTo(events),
      attributes: {
        "messaging.system": "nats",
        "messaging.operation.type": "process",
        "messaging.consumer.group.name": consumer,
        "messaging.destination.name": stream,
        "messaging.batch.message_count": events.length,
      },
    },
    work,
    ROOT_CONTEXT,
  );

/** A link to the active span (the batch), for a span that lives in an event's trace instead. */
const linkToActive = (): Link[] => {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
};

/**
 * A span for what a consumer does with one event (a reaction, an apply): a child of the event's
 * context, so it joins the request's trace, linked to the batch it came in.
 */
export const inEventSpan = <T>(tracerName: string, name: string, event: EventEnvelope, attributes: Attributes, work: () => Promise<T>): Promise<T> =>
  inSpan(
    tracerFor(tracerName),
    name,
    { kind: SpanKind.CONSUMER, links: linkToActive(), attributes: { ...eventAttributes(event), ...attributes } },
    work,
    contextOfEvent(event),
  );

/** Event spans started together and ended together (events applied in one bulk write). */
export const startEventSpans = (tracerName: string, name: string, events: readonly EventEnvelope[], attributes: Attributes) => {
  const links = linkToActive();
  const spans = new Map<EventEnvelope, Span>(
    events.map((event) => [
      event,
      tracerFor(tracerName).startSpan(
        name,
        { kind: SpanKind.CONSUMER, links, attributes: { ...eventAttributes(event), ...attributes } },
        contextOfEvent(event),
      ),
    ]),
  );
  return {
    end(event: EventEnvelope, outcome: Attributes) {
      const span = spans.get(event);
      span?.setAttributes(outcome);
      span?.end();
      spans.delete(event);
    },
    /** Ends every span not ended yet, as failed. */
    fail(error: unknown) {
      for (const span of spans.values()) {
        recordFailure(span, error);
        span.end();
      }
      spans.clear();
    },
    /** Ends every span not ended yet (events the work did not report on). */
    endRest() {
      for (const span of spans.values()) span.end();
      spans.clear();
    },
  };
};
