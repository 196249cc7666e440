import { ConcurrencyError, type Decider, type DomainEvent, type EventEnvelope, type EventMetadata, type NewEvent } from "@bazaar/core";
import type { AppendResult, EventStore } from "./eventStore.js";
import type { SnapshotStore } from "./snapshotStore.js";

export interface CommandContext {
  metadata: EventMetadata;
  /** Optimistic concurrency from the caller (`If-Match`): the command applies only at this version. */
  expectedVersion?: number | undefined;
}

export interface CommandResult<State> {
  streamId: string;
  /** The stream's version after the command: the consistency token's position. */
  version: number;
  events: EventEnvelope[];
  state: State;
}

/** Where decided events go: straight to the store, or through the reliable publisher. */
export type Append = (streamId: string, expectedVersion: number, events: readonly NewEvent[]) => Promise<AppendResult>;

export interface SnapshotPolicy {
  store: SnapshotStore;
  /** Take a snapshot each time the stream crosses a multiple of this many events. */
  every: number;
  /** Bump when the state's shape changes: older snapshots are then ignored. */
  schema: number;
}

/**
 * Runs a command against one aggregate: load its state (snapshot + newer events), decide,
 * append at the loaded version (so a concurrent writer yields ConcurrencyError).
 */
export const createCommandHandler = <Command, Event extends DomainEvent, State>(deps: {
  decider: Decider<Command, Event, State>;
  /** How a stored event becomes the decider's: the context's typed decode (a stored event it refuses fails the command). */
  decode: (event: EventEnvelope) => Event;
  eventStore: EventStore;
  append: Append;
  snapshots?: SnapshotPolicy;
  newEventId: () => string;
  now: () => Date;
  onSnapshotError?: (error: unknown) => void;
  /**
   * Commands that start their aggregate's stream (a create under a fresh id). They are decided
   * against the initial state and appended at version 0 without reading the stream or its
   * snapshot first: the append's condition is the check. Should the stream exist after all (a
   * retry under an id derived from its Idempotency-Key), the append is refused and the command
   * runs the usual way, against the stream as it is — so the answer is the same, and a create
   * costs two reads fewer.
   */
  startsStream?: (command: Command) => boolean;
}) => {
  const { decider, eventStore, snapshots } = deps;
  const evolveAll = (state: State, events: readonly Event[]) => events.reduce((s, e) => decider.evolve(s, e), state);

  const load = async (streamId: string): Promise<{ state: State; version: number }> => {
    const snapshot = snapshots && (await snapshots.store.load(streamId));
    const base =
      snapshot && snapshot.schema === snapshots.schema
        ? { state: snapshot.state as State, version: snapshot.version }
        : { state: decider.initialState(), version: 0 };
    const newer = await eventStore.readStream(streamId, { fromVersion: base.version + 1 });
    return { state: evolveAll(base.state, newer.map(deps.decode)), version: newer.at(-1)?.version ?? base.version };
  };

  const tryDecide = (command: Command, state: State): readonly Event[] => {
    try {
      return decider.decide(command, state);
    } catch {
      return [];
    }
  };

  const decideAndAppend = async (
    streamId: string,
    command: Command,
    context: CommandContext,
    loaded: { state: State; version: number },
    decided: readonly Event[],
  ): Promise<CommandResult<State>> => {
    const { state, version } = loaded;
    if (decided.length === 0) return { streamId, version, events: [], state };
    const recordedAt = deps.now();
    const appended = await deps.append(
      streamId,
      version,
      decided.map((event) => ({ eventId: deps.newEventId(), type: event.type, data: event.data, recordedAt, metadata: context.metadata })),
    );
    const next = evolveAll(state, decided);
    const nextVersion = appended.nextExpectedVersion;
    if (snapshots && Math.floor(nextVersion / snapshots.every) > Math.floor(version / snapshots.every)) {
      // A snapshot only saves work; failing to take one must not fail the command.
      snapshots.store.save(streamId, { version: nextVersion, schema: snapshots.schema, state: next }).catch((error: unknown) => deps.onSnapshotError?.(error));
    }
    return { streamId, version: nextVersion, events: appended.events, state: next };
  };

  return async (streamId: string, command: Command, context: CommandContext): Promise<CommandResult<State>> => {
    if (context.expectedVersion === undefined && deps.startsStream?.(command)) {
      const initial = { state: decider.initialState(), version: 0 };
      // A refusal or a no-op against the initial state says nothing about the stream as it is:
      // those answers come from the usual path.
      const decided = tryDecide(command, initial.state);
      if (decided.length > 0) {
        try {
          return await decideAndAppend(streamId, command, context, initial, decided);
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
        }
      }
    }
    const loaded = await load(streamId);
    if (context.expectedVersion !== undefined && context.expectedVersion !== loaded.version) throw new ConcurrencyError(streamId, context.expectedVersion);
    return decideAndAppend(streamId, command, context, loaded, decider.decide(command, loaded.state));
  };
};
