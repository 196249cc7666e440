import { UnavailableError, type EventEnvelope } from "@bazaar/core";
import type { JetStreamClient } from "@nats-io/jetstream";
import { encodeEnvelope } from "./envelopeCodec.js";

export interface EventPublisher {
  /** Publishes in the given order, each with `Nats-Msg-Id` = event id so a republish is dropped. */
  publish(events: readonly EventEnvelope[]): Promise<void>;
}

export const createEventPublisher = (
  js: JetStreamClient,
  subjectFor: (event: EventEnvelope) => string,
): EventPublisher => ({
  async publish(events) {
    // Sequential on purpose: the stream must hold a stream's events in version order.
    for (const event of events) {
      const { headers, payload } = encodeEnvelope(event);
      try {
        await js.publish(subjectFor(event), payload, { msgID: event.eventId, headers });
      } catch (error) {
        throw new UnavailableError(`publish of ${event.type} ${event.eventId} failed`, { cause: error });
      }
    }
  },
});
