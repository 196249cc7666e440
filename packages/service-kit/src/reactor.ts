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
  /** Handles one event (every event of the source stream arrives; ignore the others). Throw to retry. */
  handle(event: EventEnvelope): Promise<void>;
}

/** Last version of each source stream a reaction has handled; never moves back. */
export interface ReactionCheckpoints {
  get(reaction: string, streamId: string): Promise<number>;
  set(reaction: string, streamId: string, version: number): Promise<void>;
}

export const createCassandraCheckpoints = (client: cassandra.Client, keyspace: string): ReactionCheckpoints => ({
  async get(reaction, streamId) {
    const row = (await client.execute(`SELECT version FROM ${keyspace}.reaction_checkpoints WHERE reaction = ? AND stream_id = ?`, [reaction, streamId], { prepare: true })).first();
    return row ? (row.get("version") as cassandra.types.Long).toNumber() : 0;
  },
  async set(reaction, streamId, version) {
    const v = cassandra.types.Long.fromNumber(version);
    // The write timestamp is the version: an older checkpoint can never overwrite a newer one.
    await client.execute(`UPDATE ${keyspace}.reaction_checkpoints USING TIMESTAMP ? SET version = ? WHERE reaction = ? AND stream_id = ?`, [v, v, reaction, streamId], { prepare: true });
  },
});

export const ensureCheckpointSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.reaction_checkpoints (reaction text, stream_id text, version bigint, PRIMARY KEY ((reaction, stream_id)))`);
};

/** Source streams a reactor works on at once (their events one after the other each). */
const STREAMS_AT_ONCE = 16;
/** Source streams whose checkpoint a reactor remembers (the most recently moved ones). */
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
 * below the checkpoint is a duplicate (acknowledged), the next one is handled and checkpointed;
 * one further ahead first has the versions in between read from `missing` (JetStream, by the
 * stream's subject) and handled, or is parked until they can be.
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
   * The checkpoints this process wrote, so the next event of a stream needs no read: what it
   * wrote is never ahead of the store (checkpoints never move back). Only when an event is
   * further ahead than that is the store read — another process sharing the durable consumer
   * may have moved it — before the gap is taken as real.
   */
  const written = createBoundedCache<string, number>({ maxBytes: REMEMBERED_CHECKPOINT_BYTES, maxEntries: REMEMBERED_CHECKPOINTS });
  const remember = (streamId: string, version: number) => void written.set(streamId, version);
  const checkpointBefore = async (streamId: string, firstVersion: number) => {
    const known = written.get(streamId);
    return known !== undefined && known >= firstVersion - 1 ? known : checkpoints.get(durable, streamId);
  };

  /** Handles one event of the source stream, which must be the checkpoint's next version. */
  const react = async (event: EventEnvelope, deliveryCount: number, deadLetter: (event: EventEnvelope, reason: string) => Promise<void>): Promise<Settlement> => {
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
    remember(event.streamId, event.version);
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
      const last = new Map(await Promise.all([...firstVersions].map(async ([streamId, first]) => [streamId, await checkpointBefore(streamId, first)] as const)));
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
          const checkpoint = last.get(event.streamId)!;
          let settlement: Settlement;
          if (event.version <= checkpoint) settlement = done;
          else if (event.version > checkpoint + 1 || blocked) settlement = parked;
          else settlement = await react(event, deliveryCount.get(event) ?? 1, deadLetter);
          if (settlement.outcome === "done") last.set(event.streamId, Math.max(checkpoint, event.version));
          else blocked = true;
          if (!repaired.has(event)) settlements.set(event, settlement);
        }
      });
      return deliveries.map((d) => settlements.get(d.event)!);
    },
  });
  logger.info({ reaction: durable, source: options.stream.name }, "reactor started");
  return { consumer: consumer.name, stop: () => consumer.stop() };
};
