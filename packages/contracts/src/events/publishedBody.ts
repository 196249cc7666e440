import type { EventEnvelope } from "@bazaar/core";

type Stored = Pick<EventEnvelope, "type" | "data">;

/**
 * A context's publication mapping made total: an event it cannot map (a type it does not know,
 * stored data its decoder refuses) is published as stored, for consumers to refuse and
 * dead-letter naming the field. A mapping that threw would fail the publish, and the relay would
 * retry it forever, holding back every later version of the stream.
 */
export const publishedBody =
  (toContract: (event: Stored) => unknown) =>
  (event: Stored): unknown => {
    try {
      return toContract(event);
    } catch {
      return event.data;
    }
  };
