import { fold, type Decider, type DomainEvent, type EventEnvelope, type EventMetadata } from "@bazaar/core";
import type { EventStore } from "./eventStore.js";

export interface EventSink {
  publish(events: readonly EventEnvelope[]): Promise<void>;
}

export interface CommandContext {
  metadata: EventMetadata;
}

export interface CommandResult<State> {
  streamId: string;
  /** The stream's version after the command: the consistency token's position. */
  version: number;
  events: EventEnvelope[];
  state: State;
}

/**
 * Runs a command against one aggregate: load its stream, fold, decide, append at the loaded
 * version (so a concurrent writer yields ConcurrencyError), then publish what was stored.
 */
export const createCommandHandler = <Command, Event extends DomainEvent, State>(deps: {
  decider: Decider<Command, Event, State>;
  eventStore: EventStore;
  sink: EventSink;
  newEventId: () => string;
  now: () => Date;
}) => {
  const { decider, eventStore, sink } = deps;
  return async (streamId: string, command: Command, context: CommandContext): Promise<CommandResult<State>> => {
    const history = await eventStore.readStream(streamId);
    const version = history.at(-1)?.version ?? 0;
    const state = fold(decider, history.map((e) => ({ type: e.type, data: e.data }) as Event));
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { streamId, version, events: [], state };
    const recordedAt = deps.now();
    const appended = await eventStore.append(
      streamId,
      version,
      decided.map((event) => ({ eventId: deps.newEventId(), type: event.type, data: event.data, recordedAt, metadata: context.metadata })),
    );
    await sink.publish(appended.events);
    return {
      streamId,
      version: appended.nextExpectedVersion,
      events: appended.events,
      state: decided.reduce((current, event) => decider.evolve(current, event), state),
    };
  };
};
