import { forEachConcurrently, isBazaarError, type EventEnvelope } from "@bazaar/core";
import {
  done,
  ensureStream,
  fillGaps,
  inEventSpan,
  parked,
  retryAfter,
  startConsumer,
  type ConsumerMetrics,
  type ConsumerSettings,
  type MissingEvents,
  type Settlement,
  type StreamSettings,
} from "@bazaar/messaging";
import { createBoundedCache, type Logger } from "@bazaar/runtime";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import cassandra from "cassandra-driver";

/**
 * A context's reaction to another context's events (choreography, local replicas): the write
 * side of "event-driven data sharing". Handlers must be idempotent; they run at least once per
 * event, in version order per source stream.
 */
export interface Reaction {
  /** Unique within the context; names the durable consumer and its checkpoints. */
  name: string;
  /** The context whose stream this reacts to. */
  source: string;
  /**
   * The event types it handles. The source's other events pass by: never handed to `handle`,
   * and no checkpoint is written for them (most of a source's events are not a reaction's business).
   */
  handles: ReadonlySet<string>;
  /** Handles one event of a type in `handles`. Throw to retry. */
  handle(event: EventEnvelope): Promise<void>;
}

/** A reaction from one handler per event type: what it handles and how are one list. */
export const reactionTo = (reaction: { name: string; source: string; on: Record<string, (event: EventEnvelope) => Promise<void>> }): Reaction => {
  const handlers = new Map(Object.entries(reaction.on));
  return {
    name: reaction.name,
    source: reaction.source,
    handles: new Set(handlers.keys()),
    handle: async (event) => handlers.get(event.type)?.(event),
  };
};

/** Last version of each source stream a reaction has handled; never moves back. */
export interface ReactionCheckpoints {
  get(reaction: string, streamId: string): Promise<number>;
  set(reaction: string, streamId: string, version: number): Promise<void>;
}

export const createCassandraCheckpoints = (client: cassandra.Client, keyspace: string): ReactionCheckpoints => ({
  async get(reaction, streamId) {
    const row = (
      await client.execute(`SELECT version FROM ${keyspace}.reaction_checkpoints WHERE reaction = ? AND stream_id = ?`, [reaction, streamId], { prepare: true })
    ).first();
    return row ? (row.get("version") as cassandra.types.Long).toNumber() : 0;
  },
  async set(reaction, streamId, version) {
    const v = cassandra.types.Long.fromNumber(version);
    // The write timestamp is the version: an older checkpoint can never overwrite a newer one.
    await client.execute(
      `UPDATE ${keyspace}.reaction_checkpoints USING TIMESTAMP ? SET version = ? WHERE reaction = ? AND stream_id = ?`,
      [v, v, reaction, streamId],
      { prepare: true },
    );
  },
});

export const ensureCheckpointSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.reaction_checkpoints (reaction text, stream_id text, version bigint, PRIMARY KEY ((reaction, stream_id)))`,
  );
};

/** Source streams a reactor works on at once (their events one after the other each). */
const STREAMS_AT_ONCE = 16;
/** Source streams whose last passed version a reactor remembers (the most recently moved ones). */
const REMEMBERED_CHECKPOINTS = 10_000;
/** …and in how many bytes at most (stream ids are the source's: their length is not ours to choose). */
const REMEMBERED_CHECKPOINT_BYTES = 4 * 1024 * 1024;

/** Business refusals do not heal by retrying: they are dead-lettered and the reaction moves on. */
const permanent = (error: unknown) => isBazaarError(error) && error.kind !== "unavailable" && error.kind !== "timeout" && error.kind !== "concurrency";

export interface Reactor {
  readonly consumer: string;
  stop(): Promise<void>;
}

/** The durable consumer a reaction reads its source stream through. */
export const reactorConsumer = (durable: string, source: StreamSettings): ConsumerSettings => ({
  stream: source.name,
  filterSubjects: source.subjects,
  durable,
  batchSize: 64,
  maxAckPending: 256,
});

/**
 * Runs a reaction on a durable consumer of the source stream. Per source stream: an event at or
 * below the last version passed is a duplicate (acknowledged); the next one is handled and
 * checkpointed, or — a type the reaction does not handle — passed without either; one further
 * ahead first has the versions in between read from `missing` (JetStream, by the stream's
 * subject) and passed, or is parked until they can be.
 */
export const startReactor = async (options: {
  js: JetStreamClient;
  jsm: JetStreamManager;
  reaction: Reaction;
  durable: string;
  stream: StreamSettings;
  missing: MissingEvents;
  checkpoints: ReactionCheckpoints;
  logger: Logger;
  metrics?: ConsumerMetrics;
  /** False (`BAZAAR_PROVISIONING=check`): the source stream and the consumer must exist; nothing is created. */
  create: boolean;
}): Promise<Reactor> => {
  const { jsm, reaction, durable, checkpoints, logger } = options;
  // The source context may not have started yet: its stream is created with the same settings.
  if (options.create) await ensureStream(jsm, options.stream);

  /**
   * Per source stream, the last version this process passed — handled and checkpointed, or not
   * the reaction's business — so the next event of a stream needs no read. The store holds the
   * last *handled* version only: events passed by are never recorded, so it may be behind what
   * this process knows, never ahead of what was handled. Only when an event is further ahead
   * than the process knows is the store read (another process sharing the durable consumer may
   * have moved it); what is still missing then is a gap — read back from the source and passed
   * again, as after a restart that forgot what was passed by. No version is ever assumed ignorable.
   */
  const passed = createBoundedCache<string, number>({ maxBytes: REMEMBERED_CHECKPOINT_BYTES, maxEntries: REMEMBERED_CHECKPOINTS });
  const lastPassedBefore = async (streamId: string, firstVersion: number) => {
    const known = passed.get(streamId);
    if (known !== undefined && known >= firstVersion - 1) return known;
    return Math.max(known ?? 0, await checkpoints.get(durable, streamId));
  };

  /** Handles one event of the source stream, which must be the checkpoint's next version. */
  const react = async (
    event: EventEnvelope,
    deliveryCount: number,
    deadLetter: (event: EventEnvelope, reason: string) => Promise<void>,
  ): Promise<Settlement> => {
    try {
      // In the event's trace: the commands the reaction sends continue it.
      await inEventSpan("@bazaar/service-kit", `react ${reaction.name} ${event.type}`, event, { "bazaar.reaction": durable }, () => reaction.handle(event));
    } catch (error) {
      if (!permanent(error)) {
        logger.warn({ reaction: durable, streamId: event.streamId, version: event.version, err: error }, "reaction failed, will retry");
        return retryAfter(Math.min(30_000, 500 * 2 ** Math.min(deliveryCount, 6)));
      }
      await deadLetter(event, `${(error as Error).name}: ${(error as Error).message}`);
    }
    await checkpoints.set(durable, event.streamId, event.version);
    return done;
  };

  const consumer = await startConsumer({
    js: options.js,
    jsm,
    ...reactorConsumer(durable, options.stream),
    name: durable,
    logger,
    metrics: options.metrics,
    create: options.create,
    async handle(deliveries, { deadLetter }) {
      const settlements = new Map<EventEnvelope, Settlement>();
      const firstVersions = new Map<string, number>();
      for (const { event } of deliveries) firstVersions.set(event.streamId, Math.min(event.version, firstVersions.get(event.streamId) ?? Infinity));
      const last = new Map(
        await Promise.all([...firstVersions].map(async ([streamId, first]) => [streamId, await lastPassedBefore(streamId, first)] as const)),
      );
      const { events, repaired } = await fillGaps(
        deliveries.map((d) => d.event),
        (streamId) => last.get(streamId)!,
        options.missing,
      );
      const deliveryCount = new Map(deliveries.map((d) => [d.event, d.deliveryCount]));
      // In version order within a stream; streams side by side (each event is a command and a
      // checkpoint write: one at a time, a busy reaction would fall ever further behind).
      await forEachConcurrently(Map.groupBy(events, (event) => event.streamId).values(), STREAMS_AT_ONCE, async (streamEvents) => {
        let blocked = false;
        for (const event of streamEvents) {
          const lastPassed = last.get(event.streamId)!;
          let settlement: Settlement;
          if (event.version <= lastPassed) settlement = done;
          else if (event.version > lastPassed + 1 || blocked) settlement = parked;
          else if (!reaction.handles.has(event.type)) settlement = done;
          else settlement = await react(event, deliveryCount.get(event) ?? 1, deadLetter);
          if (settlement.outcome === "done") {
            last.set(event.streamId, Math.max(lastPassed, event.version));
            passed.set(event.streamId, Math.max(lastPassed, event.version));
          } else blocked = true;
          if (!repaired.has(event)) settlements.set(event, settlement);
        }
      });
      return deliveries.map((d) => settlements.get(d.event)!);
    },
  });
  logger.info({ reaction: durable, source: options.stream.name }, "reactor started");
  return { consumer: consumer.name, stop: () => consumer.stop() };
};
