import { randomUUID } from "node:crypto";
import type { Decider, DomainEvent, EventEnvelope } from "@bazaar/core";
import { createCommandHandler } from "@bazaar/event-store";
import type { WriteSide } from "./runService.js";

/**
 * A decider's command handler on a context's write side: the reliable append, real ids and
 * clock, and snapshots when the aggregate's streams grow long (`snapshotSchema` given; bump it
 * when the state changes shape, and older snapshots are ignored).
 */
export const commandHandlerFor = <Command, Event extends DomainEvent, State>(
  write: Pick<WriteSide, "eventStore" | "append" | "snapshots" | "snapshotEvery" | "onSnapshotError">,
  decider: Decider<Command, Event, State>,
  /** The context's typed decode of its stored events (through its upcasters). */
  decode: (event: EventEnvelope) => Event,
  /** `startsStream`: the commands that create their aggregate, appended without reading first (createCommandHandler). */
  options: { snapshotSchema?: number; startsStream?: (command: Command) => boolean } = {},
) =>
  createCommandHandler({
    decider,
    decode,
    eventStore: write.eventStore,
    append: write.append,
    ...(options.snapshotSchema === undefined ? {} : { snapshots: { store: write.snapshots, every: write.snapshotEvery, schema: options.snapshotSchema } }),
    newEventId: randomUUID,
    now: () => new Date(),
    onSnapshotError: write.onSnapshotError,
    ...(options.startsStream ? { startsStream: options.startsStream } : {}),
  });
