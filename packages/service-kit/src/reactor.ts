import { isBazaarError, type EventEnvelope } from "@bazaar/core";
import { decodeEnvelope, MalformedEventError } from "@bazaar/messaging";
import { DEAD_LETTER_STREAM } from "@bazaar/projections";
import type { Logger } from "@bazaar/runtime";
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { headers as natsHeaders, nanos } from "@nats-io/transport-node";
import cassandra from "cassandra-driver";
import { ensureStream } from "@bazaar/messaging";

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

/** Business refusals do not heal by retrying: they are dead-lettered and the reaction moves on. */
const permanent = (error: unknown) => isBazaarError(error) && error.kind !== "unavailable" && error.kind !== "timeout" && error.kind !== "concurrency";

export interface Reactor {
  readonly consumer: string;
  stop(): Promise<void>;
}

/**
 * Runs a reaction on a durable consumer of the source stream. Per source stream: an event at or
 * below the checkpoint is a duplicate (acknowledged), the next one is handled and checkpointed,
 * one further ahead waits for the missing ones (nak with delay).
 */
export const startReactor = async (options: {
  js: JetStreamClient;
  jsm: JetStreamManager;
  reaction: Reaction;
  durable: string;
  stream: { name: string; subjects: readonly string[]; duplicateWindowMs: number };
  checkpoints: ReactionCheckpoints;
  logger: Logger;
}): Promise<Reactor> => {
  const { js, jsm, reaction, durable, checkpoints, logger } = options;
  // The source context may not have started yet: its stream is created with the same settings.
  await ensureStream(jsm, options.stream);
  await ensureStream(jsm, DEAD_LETTER_STREAM);
  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subjects: [...options.stream.subjects],
    ack_wait: nanos(30_000),
    max_ack_pending: 256,
  };
  try {
    await jsm.consumers.info(options.stream.name, durable);
    await jsm.consumers.update(options.stream.name, durable, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(options.stream.name, config);
  }
  const messages = await (await js.consumers.get(options.stream.name, durable)).consume({ max_messages: 64 });

  const deadLetter = async (msg: JsMsg, reason: string) => {
    const h = natsHeaders();
    for (const [key, values] of msg.headers ?? []) for (const value of values) h.append(key, value);
    h.set("Bazaar-Dead-Letter-Reason", reason.slice(0, 1000));
    h.set("Bazaar-Dead-Letter-Source", `${options.stream.name}:${msg.seq}:${msg.subject}`);
    await js.publish(`deadletter.${durable}`, msg.data, { headers: h, msgID: `${durable}:${options.stream.name}:${msg.seq}` });
    logger.error({ reaction: durable, seq: msg.seq, reason }, "event dead-lettered");
  };

  const handle = async (msg: JsMsg) => {
    let event: EventEnvelope;
    try {
      event = decodeEnvelope(msg.headers, msg.data);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      await deadLetter(msg, `malformed: ${error.message}`);
      msg.term();
      return;
    }
    const last = await checkpoints.get(durable, event.streamId);
    if (event.version <= last) return msg.ack();
    if (event.version > last + 1) return msg.nak(250);
    try {
      await reaction.handle(event);
    } catch (error) {
      if (!permanent(error)) {
        logger.warn({ reaction: durable, streamId: event.streamId, version: event.version, err: error }, "reaction failed, will retry");
        return msg.nak(Math.min(30_000, 500 * 2 ** Math.min(msg.info.deliveryCount, 6)));
      }
      await deadLetter(msg, `${(error as Error).name}: ${(error as Error).message}`);
    }
    await checkpoints.set(durable, event.streamId, event.version);
    msg.ack();
  };

  const done = (async () => {
    for await (const msg of messages) {
      try {
        await handle(msg);
      } catch (error) {
        logger.error({ reaction: durable, err: error }, "unexpected reactor error; message will be redelivered");
        msg.nak(1000);
      }
    }
  })();
  logger.info({ reaction: durable, source: options.stream.name }, "reactor started");
  return {
    consumer: durable,
    async stop() {
      await messages.close();
      await done;
    },
  };
};
