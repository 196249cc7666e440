import { ConcurrencyError, ValidationError, type EventEnvelope } from "@bazaar/core";
import { noUpcast, toEnvelopes, type EventStore, type Upcaster } from "./eventStore.js";

/** An event store in memory, for unit tests; it passes the same contract as Cassandra's. */
export const createMemoryEventStore = (options: { upcast?: Upcaster } = {}): EventStore => {
  const streams = new Map<string, EventEnvelope[]>();
  const upcast = options.upcast ?? noUpcast;
  return {
    async append(streamId, expectedVersion, events) {
      if (events.length === 0) throw new ValidationError([{ field: "events", message: "must not be empty" }]);
      const stream = streams.get(streamId) ?? [];
      if (stream.length !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion);
      const envelopes = toEnvelopes(streamId, expectedVersion, events).map((e) => structuredClone(e));
      streams.set(streamId, [...stream, ...envelopes]);
      return { nextExpectedVersion: expectedVersion + events.length, events: envelopes };
    },
    async readStream(streamId, { fromVersion = 1, asOf, limit = Infinity } = {}) {
      return (streams.get(streamId) ?? [])
        .filter((e) => e.version >= fromVersion && (!asOf || e.recordedAt <= asOf))
        .slice(0, limit)
        .map((e) => upcast(structuredClone(e)));
    },
    async *readAll() {
      for (const stream of streams.values()) yield stream.map((e) => upcast(structuredClone(e)));
    },
  };
};
