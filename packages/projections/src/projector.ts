import type { EventEnvelope } from "@bazaar/core";
import { decodeEnvelope, MalformedEventError } from "@bazaar/messaging";
import type { Client } from "@elastic/elasticsearch";
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import type { DocumentProjection } from "./documentProjection.js";
import { isStatus } from "./elasticsearch.js";

export interface ProjectorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ProjectorOptions<Doc extends object> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  es: Client;
  stream: string;
  filterSubjects: readonly string[];
  projection: DocumentProjection<Doc>;
  logger: ProjectorLogger;
  /** How long a message that arrived ahead of its predecessor waits before redelivery. */
  gapRetryDelayMs?: number;
}

export interface Projector {
  /** Resolves when the consumer loop has ended. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export type Outcome = "applied" | "duplicate" | "gap" | "ignored";

/**
 * Applies one event to its document: duplicates (version already reflected) are skipped and
 * an event ahead of its predecessor is reported as a gap, never applied out of order.
 */
export const applyToDocument = async <Doc extends object>(
  es: Client,
  projection: DocumentProjection<Doc>,
  event: EventEnvelope,
): Promise<Outcome> => {
  const id = projection.documentId(event);
  if (id === undefined) return "ignored";
  // GET by id is real-time: it sees the previous write even before a refresh.
  const current = await es.get<Doc>({ index: projection.alias, id }, { ignore: [404] });
  const currentVersion = current.found ? (current._version ?? 0) : 0;
  if (event.version <= currentVersion) return "duplicate";
  if (event.version > currentVersion + 1) return "gap";
  const next = projection.evolve(current.found ? current._source : undefined, event);
  try {
    await es.index({
      index: projection.alias,
      id,
      document: next,
      version: event.version,
      version_type: "external",
    });
  } catch (error) {
    // A concurrent applier wrote this version or a later one first.
    if (isStatus(error, 409)) return "duplicate";
    throw error;
  }
  return "applied";
};

/** Runs a durable JetStream consumer that feeds a document projection. */
export const startProjector = async <Doc extends object>(options: ProjectorOptions<Doc>): Promise<Projector> => {
  const { js, jsm, es, stream, projection, logger } = options;
  const gapDelay = options.gapRetryDelayMs ?? 250;
  const durable = projection.name;
  const config: Partial<ConsumerConfig> = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subjects: [...options.filterSubjects],
    ack_wait: nanos(30_000),
    max_ack_pending: 1000,
  };
  try {
    await jsm.consumers.info(stream, durable);
    await jsm.consumers.update(stream, durable, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(stream, config);
  }

  const consumer = await js.consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: 256 });

  const handle = async (msg: JsMsg): Promise<void> => {
    let event: EventEnvelope;
    try {
      event = decodeEnvelope(msg.headers, msg.data);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      logger.error({ projection: durable, subject: msg.subject, seq: msg.seq, reason: error.message }, "malformed event dropped");
      msg.term(error.message);
      return;
    }
    try {
      const outcome = await applyToDocument(es, projection, event);
      if (outcome === "gap") {
        msg.nak(gapDelay);
        return;
      }
      msg.ack();
    } catch (error) {
      logger.warn({ projection: durable, streamId: event.streamId, version: event.version, err: error }, "apply failed, will retry");
      msg.nak(1000);
    }
  };

  const done = (async () => {
    for await (const msg of messages) await handle(msg);
  })();
  logger.info({ projection: durable, stream, alias: projection.alias }, "projector started");

  return {
    done,
    async stop() {
      await messages.close();
      await done;
    },
  };
};
