import type { EventEnvelope } from "@bazaar/core";
import { crashPoint } from "@bazaar/event-store";
import { decodeEnvelope, ensureStream, MalformedEventError } from "@bazaar/messaging";
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
import { headers as natsHeaders, nanos } from "@nats-io/transport-node";
import type { DocumentProjection } from "./documentProjection.js";
import { applyEvents, DocumentCache } from "./documentWriter.js";
import { noProjectionMetrics, type ProjectionMetrics } from "./projectionMetrics.js";

export interface ProjectorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Where poison events go, with the reason in a header; one stream for every projector. */
export const DEAD_LETTER_STREAM = { name: "DEADLETTER", subjects: ["deadletter.>"], duplicateWindowMs: 120_000 } as const;

export interface ProjectorOptions<Doc extends object> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  es: Client;
  stream: string;
  filterSubjects: readonly string[];
  projection: DocumentProjection<Doc>;
  logger: ProjectorLogger;
  metrics?: ProjectionMetrics;
  /** Where documents are written: the alias (default) or a concrete index during a rebuild. */
  index?: string;
  /** Durable consumer name (default: the projection's name); null for an ephemeral consumer. */
  durable?: string | null;
  /** Start at this stream sequence instead of the beginning (ephemeral consumers). */
  startSequence?: number;
  /** Most events applied in one multi-get + bulk. */
  batchSize?: number;
  /** How long an event that arrived ahead of its predecessor waits before redelivery. */
  gapRetryDelayMs?: number;
  /** After this many deliveries a gap is declared permanent and the event dead-lettered. */
  maxGapDeliveries?: number;
  /** How many recently written documents to remember instead of reading them back. */
  cacheSize?: number;
}

export interface Projector {
  /** The consumer's name on the server. */
  readonly consumer: string;
  stop(): Promise<void>;
}

const ensureConsumer = async (jsm: JetStreamManager, stream: string, config: Partial<ConsumerConfig>): Promise<string> => {
  if (!config.durable_name) return (await jsm.consumers.add(stream, config)).name;
  try {
    await jsm.consumers.info(stream, config.durable_name);
    await jsm.consumers.update(stream, config.durable_name, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(stream, config);
  }
  return config.durable_name;
};

/**
 * Runs a JetStream consumer that feeds a document projection. Messages are taken in adaptive
 * batches (whatever has arrived, up to `batchSize`): one at a time when traffic is light, so
 * visibility lag stays low; hundreds per multi-get + bulk when catching up.
 */
export const startProjector = async <Doc extends object>(options: ProjectorOptions<Doc>): Promise<Projector> => {
  const { js, jsm, es, projection, logger } = options;
  const metrics = options.metrics ?? noProjectionMetrics;
  const index = options.index ?? projection.alias;
  const batchSize = options.batchSize ?? 500;
  const gapDelay = options.gapRetryDelayMs ?? 250;
  const maxGapDeliveries = options.maxGapDeliveries ?? 1200;
  const deadLetterSubject = `deadletter.${projection.name}`;
  const cache = new DocumentCache<Doc>(options.cacheSize ?? 20_000);
  const label = projection.name;

  await ensureStream(jsm, DEAD_LETTER_STREAM);
  const durable = options.durable === undefined ? projection.name : options.durable;
  const consumerName = await ensureConsumer(jsm, options.stream, {
    ...(durable ? { durable_name: durable } : { inactive_threshold: nanos(60_000) }),
    ack_policy: AckPolicy.Explicit,
    ...(options.startSequence
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: options.startSequence }
      : { deliver_policy: DeliverPolicy.All }),
    filter_subjects: [...options.filterSubjects],
    ack_wait: nanos(30_000),
    max_ack_pending: 4 * batchSize,
  });
  const consumer = await js.consumers.get(options.stream, consumerName);
  const messages = await consumer.consume({ max_messages: 2 * batchSize });

  const deadLetter = async (msg: JsMsg, reason: string) => {
    const h = natsHeaders();
    for (const [key, values] of msg.headers ?? []) for (const value of values) h.append(key, value);
    h.set("Bazaar-Dead-Letter-Reason", reason.slice(0, 1000));
    h.set("Bazaar-Dead-Letter-Source", `${options.stream}:${msg.seq}:${msg.subject}`);
    await js.publish(deadLetterSubject, msg.data, { headers: h, msgID: `${projection.name}:${options.stream}:${msg.seq}` });
    logger.error({ projection: label, seq: msg.seq, subject: msg.subject, reason }, "event dead-lettered");
  };

  const handleBatch = async (batch: JsMsg[]) => {
    const events: EventEnvelope[] = [];
    const messageOf = new Map<EventEnvelope, JsMsg>();
    for (const msg of batch) {
      try {
        const event = decodeEnvelope(msg.headers, msg.data);
        if (!projection.handlesStream(event.streamId)) {
          msg.ack();
          continue;
        }
        events.push(event);
        messageOf.set(event, msg);
      } catch (error) {
        if (!(error instanceof MalformedEventError)) throw error;
        await deadLetter(msg, `malformed: ${error.message}`);
        msg.term(error.message);
        metrics.outcome(label, "dead-lettered", 1);
      }
    }
    if (events.length === 0) return;
    let decisions;
    try {
      decisions = await applyEvents(es, projection, index, events, cache);
    } catch (error) {
      logger.warn({ projection: label, err: error, events: events.length }, "batch failed, will retry");
      for (const msg of messageOf.values()) msg.nak(1000);
      metrics.outcome(label, "failed", events.length);
      return;
    }
    // Written but not acknowledged: a crash here means redelivery, which the versions absorb.
    crashPoint("projector-after-write");
    const applied: Date[] = [];
    for (const decision of decisions) {
      const msg = messageOf.get(decision.event)!;
      switch (decision.outcome) {
        case "applied":
          applied.push(decision.event.recordedAt);
          msg.ack();
          break;
        case "duplicate":
          msg.ack();
          break;
        case "gap":
          if (msg.info.deliveryCount >= maxGapDeliveries) {
            await deadLetter(msg, `gap before version ${decision.event.version} of ${decision.event.streamId} never filled`);
            msg.term();
          } else {
            msg.nak(gapDelay);
          }
          break;
        case "dead-lettered":
          await deadLetter(msg, decision.reason ?? "evolve failed");
          msg.ack();
          break;
        case "failed":
          msg.nak(1000);
          break;
      }
      metrics.outcome(label, decision.outcome, 1);
    }
    metrics.applied(label, applied);
  };

  // Messages arrive into a buffer; the worker takes whatever is there as the next batch.
  const buffer: JsMsg[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const reader = (async () => {
    for await (const msg of messages) {
      buffer.push(msg);
      wake?.();
    }
    closed = true;
    wake?.();
  })();
  const worker = (async () => {
    for (;;) {
      if (buffer.length === 0) {
        if (closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const batch = buffer.splice(0, batchSize);
      try {
        await handleBatch(batch);
      } catch (error) {
        logger.error({ projection: label, err: error }, "unexpected projector error; batch will be redelivered");
        for (const msg of batch) msg.nak(1000);
      }
    }
  })();

  const pendingTimer = durable
    ? setInterval(() => {
        jsm.consumers.info(options.stream, consumerName).then(
          (info) => metrics.pending(label, info.num_pending),
          () => undefined,
        );
      }, 5_000)
    : undefined;
  logger.info({ projection: label, stream: options.stream, index, consumer: consumerName }, "projector started");

  return {
    consumer: consumerName,
    async stop() {
      clearInterval(pendingTimer);
      await messages.close();
      await reader;
      await worker;
    },
  };
};
