import type { EventEnvelope, NewEvent } from "@bazaar/core";

/** Version of a stream that has no events yet. */
export const NO_STREAM = 0;

export interface AppendResult {
  /** The stream's version after the append: pass it as expectedVersion to append again. */
  nextExpectedVersion: number;
  events: EventEnvelope[];
}

export interface ReadOptions {
  /** First version to return (inclusive); default 1. */
  fromVersion?: number;
  /** Time travel: only events recorded at or before this instant. */
  asOf?: Date;
  /** At most this many events (a page of a long stream); default all. */
  limit?: number;
  /**
   * Read what is decided, not just what is visible: an append still in its consensus round is
   * finished (or abandoned) first (Cassandra: LOCAL_SERIAL). For "did this append land?".
   */
  linearizable?: boolean;
}

/**
 * Streams of events, each event at a version no other writer can take.
 * Every implementation must pass the contract suite (`@bazaar/event-store/contract`).
 */
export interface EventStore {
  /**
   * Appends all events atomically after `expectedVersion`.
   * Throws ConcurrencyError when the stream is not at that version.
   */
  append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult>;
  /** Events of a stream in version order: the stream is its own audit trail. */
  readStream(streamId: string, options?: ReadOptions): Promise<EventEnvelope[]>;
  /** Every stream, one whole stream at a time: what rebuild and verify fold. */
  readAll(): AsyncIterable<EventEnvelope[]>;
}

/** Places events one after another in a stream, starting after `expectedVersion`. */
export const toEnvelopes = (streamId: string, expectedVersion: number, events: readonly NewEvent[]): EventEnvelope[] =>
  events.map((event, index) => ({ ...event, streamId, version: expectedVersion + index + 1 }));

/** Turns a stored event of an old shape into the current one; identity for current events. */
export type Upcaster = (event: EventEnvelope) => EventEnvelope;

/**
 * Chains per-type upcasters: `{ "x.Renamed.v1": e => ({ ...e, type: "x.Renamed.v2", data }) }`
 * runs until no upcaster matches, so v1 → v2 → v3 compose.
 */
export const createUpcaster =
  (byType: Record<string, Upcaster>): Upcaster =>
  (event) => {
    let current = event;
    for (let step = 0; step < 100; step++) {
      const upcast = byType[current.type];
      if (!upcast) return current;
      current = upcast(current);
    }
    throw new Error(`upcasting ${event.type} does not terminate`);
  };

export const noUpcast: Upcaster = (event) => event;

/**
 * Versions `fromVersion` … `toVersion` of a stream, as stored: how the context's own consumers
 * (its projectors) fill a gap instead of waiting for the missing version to be delivered.
 */
export const missingFromEventStore =
  (store: EventStore) =>
  async (streamId: string, fromVersion: number, toVersion: number): Promise<EventEnvelope[]> =>
    (await store.readStream(streamId, { fromVersion })).filter((event) => event.version <= toVersion);
