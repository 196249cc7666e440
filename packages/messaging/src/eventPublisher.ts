import { UnavailableError, type EventEnvelope } from "@bazaar/core";
import type { JetStreamClient } from "@nats-io/jetstream";
import { encodeEnvelope } from "./envelopeCodec.js";
import { inPublishSpan } from "./messageTracing.js";

export interface EventPublisher {
  /** Publishes in the given order, each with `Nats-Msg-Id` = event id so a republish is dropped. */
  publish(events: readonly EventEnvelope[]): Promise<void>;
}

/**
 * What an event is published as: its context's integration message for the events other
 * contexts read (the proto contract), the stored data for events only the context itself reads.
 */
export type PublishedBody = (event: EventEnvelope) => unknown;

export const createEventPublisher = (
  js: JetStreamClient,
  subjectFor: (event: EventEnvelope) => string,
  publishedBody: PublishedBody = (event) => event.data,
): EventPublisher => ({
  async publish(events) {
    // Sequential on purpose: the stream must hold a stream's events in version order.
    for (const event of events) {
      const { headers, payload } = encodeEnvelope({ ...event, data: publishedBody(event) });
      try {
        await inPublishSpan(event, subjectFor(event), headers, (subject) => js.publish(subject, payload, { msgID: event.eventId, headers }));
      } catch (error) {
        throw new UnavailableError(`publish of ${event.type} ${event.eventId} failed`, { cause: error });
      }
    }
  },
});
