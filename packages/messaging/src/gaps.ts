import type { EventEnvelope } from "@bazaar/core";
import type { JetStreamClient } from "@nats-io/jetstream";
import { decodeEnvelope, MalformedEventError } from "./envelopeCodec.js";

/**
 * Where a consumer finds the versions it has not been delivered yet: versions `fromVersion` …
 * `toVersion` of one stream, in order, or as many of them as exist there now.
 */
export type MissingEvents = (streamId: string, fromVersion: number, toVersion: number) => Promise<readonly EventEnvelope[]>;

/**
 * Fills the holes in each stream's events: where a version between `lastApplied(stream) + 1` and
 * the stream's highest version in `events` is missing, the versions in between are read from
 * `missing`. Returns the events to apply, per stream in version order, with the repaired ones
 * in `repaired`; a hole the source cannot fill stays (the consumer parks what is behind it and
 * tries again).
 *
 * Why repair instead of waiting: the missing version may be published long after the later
 * ones (a writer died between store and publish; the relay finishes it), sit unacknowledged on
 * a consumer that died, or lie beyond the consumer's max-ack-pending window behind the very
 * events that wait for it — a wait that never ends.
 */
export const fillGaps = async (
  events: readonly EventEnvelope[],
  lastApplied: (streamId: string) => number,
  missing: MissingEvents,
): Promise<{ events: EventEnvelope[]; repaired: Set<EventEnvelope> }> => {
  const byStream = Map.groupBy(events, (event) => event.streamId);
  const repaired = new Set<EventEnvelope>();
  const ordered: EventEnvelope[] = [];
  for (const [streamId, stream] of byStream) {
    const last = lastApplied(streamId);
    const present = new Set(stream.map((event) => event.version));
    const highest = Math.max(...present);
    let hole = last + 1;
    while (hole < highest && present.has(hole)) hole++;
    let lastHole = highest - 1;
    while (lastHole > hole && present.has(lastHole)) lastHole--;
    if (hole < highest) {
      for (const event of await missing(streamId, hole, lastHole)) {
        if (event.streamId !== streamId || event.version < hole || event.version > lastHole || present.has(event.version)) continue;
        present.add(event.version);
        repaired.add(event);
        stream.push(event);
      }
    }
    ordered.push(...stream.sort((a, b) => a.version - b.version));
  }
  return { events: ordered, repaired };
};

/**
 * Missing versions read back from JetStream by the stream's subject: for consumers of another
 * context's events, which may not read its event store. A version not yet published is not
 * found, and the consumer waits for it.
 */
export const missingFromJetStream =
  (js: JetStreamClient, stream: string, subjectOf: (streamId: string) => string): MissingEvents =>
  async (streamId, fromVersion, toVersion) => {
    const consumer = await js.consumers.get(stream, { filter_subjects: [subjectOf(streamId)] });
    const total = (await consumer.info()).num_pending;
    const found: EventEnvelope[] = [];
    let seen = 0;
    while (seen < total) {
      const batch = await consumer.fetch({ max_messages: Math.min(total - seen, 500), expires: 2_000 });
      let got = 0;
      for await (const msg of batch) {
        got++;
        let event: EventEnvelope;
        try {
          event = decodeEnvelope(msg.headers, msg.data);
        } catch (error) {
          if (error instanceof MalformedEventError) continue; // the consumer dead-letters it when delivered
          throw error;
        }
        if (event.version >= fromVersion && event.version <= toVersion) found.push(event);
      }
      if (got === 0) break;
      seen += got;
    }
    return found;
  };
