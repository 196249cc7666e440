import type { EventEnvelope, NewEvent } from "@bazaar/core";

/** Version of a stream that has no events yet. */
export const NO_STREAM = 0;

export interface AppendResult {
  /** The stream's version after the append: pass it as expectedVersion to append again. */
  nextExpectedVersion: number;
  events: EventEnvelope[];
}

/**
 * Streams of events, each event at a version no other writer can take.
 * Every implementation must pass the contract suite in `eventStoreContract`.
 */
export interface EventStore {
  /**
   * Appends all events atomically after `expectedVersion`.
   * Throws ConcurrencyError when the stream is not at that version.
   */
  append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult>;
  /** Events of a stream in version order, from `fromVersion` (inclusive, default 1). */
  readStream(streamId: string, fromVersion?: number): Promise<EventEnvelope[]>;
}

/** Places events one after another in a stream, starting after `expectedVersion`. */
export const toEnvelopes = (
  streamId: string,
  expectedVersion: number,
  events: readonly NewEvent[],
): EventEnvelope[] =>
  events.map((event, index) => ({ ...event, streamId, version: expectedVersion + index + 1 }));
