import type { EventEnvelope } from "@bazaar/core";
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
import { headers as natsHeaders, nanos, type MsgHdrs } from "@nats-io/transport-node";
import { metricsOn } from "@bazaar/runtime";
import type { Registry } from "prom-client";
import { decodeEnvelope, encodeEnvelope, MalformedEventError } from "./envelopeCodec.js";
import { inBatchSpan } from "./messageTracing.js";
import { ensureStream, streamReplicas } from "./streams.js";

/** How long one pull waits for messages; also the longest a stop waits for the pull in flight. */
const FETCH_EXPIRES_MS = 2_000;

/** Where poison and malformed events go, with the reason in a header; one stream for every consumer. */
export const DEAD_LETTER_STREAM = { name: "DEADLETTER", subjects: ["deadletter.>"], duplicateWindowMs: 120_000 } as const;

/** One delivered event and how often JetStream has delivered it. */
export interface Delivery {
  event: EventEnvelope;
  deliveryCount: number;
}

/**
 * What became of a delivered event: `done` (applied, or a duplicate) is acknowledged; `retry`
 * comes back after the delay (a transient failure); `parked` is a gap nothing could fill yet —
 * it comes back after the gap delay, again and again, and is never dropped.
 */
export type Settlement = { outcome: "done" } | { outcome: "retry"; delayMs: number } | { outcome: "parked" };

export const done: Settlement = { outcome: "done" };
export const parked: Settlement = { outcome: "parked" };
export const retryAfter = (delayMs: number): Settlement => ({ outcome: "retry", delayMs });

export interface ConsumerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Counts of settlements and the consumer's backlog, labelled by consumer. */
export interface ConsumerMetrics {
  settled(consumer: string, outcome: Settlement["outcome"] | "dead-lettered" | "malformed", count: number): void;
  pending(consumer: string, messages: number): void;
}

export const createConsumerMetrics = (registry: Registry): ConsumerMetrics => {
  const metrics = metricsOn(registry);
  const settled = metrics.counter("bazaar_consumer_events_total", "Events settled by consumers (projectors, reactions), by outcome", ["consumer", "outcome"]);
  const pending = metrics.gauge("bazaar_consumer_pending_messages", "Messages a consumer has not been delivered yet", ["consumer"]);
  return {
    settled: (consumer, outcome, count) => settled.inc({ consumer, outcome }, count),
    pending: (consumer, messages) => pending.set({ consumer }, messages),
  };
};

export const noConsumerMetrics: ConsumerMetrics = { settled() {}, pending() {} };

export interface ConsumerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  filterSubjects: readonly string[];
  /** Labels logs and metrics, and names the dead-letter subject `deadletter.<name>`. */
  name: string;
  /** Durable consumer name; null for an ephemeral consumer. */
  durable: string | null;
  /** Start at this stream sequence instead of the beginning (ephemeral consumers). */
  startSequence?: number;
  /** Most events handed to `handle` at once. */
  batchSize: number;
  /**
   * How long a batch that is not full may wait for more events before it is handled (default 0:
   * at once). Worth it where a batch costs per request more than per event (a projector's
   * Elasticsearch bulk); each event then waits up to this long.
   */
  lingerMs?: number;
  /** Delivered but unsettled messages the server allows (default 4 × batchSize). */
  maxAckPending?: number;
  /** How long a parked event waits before it is delivered again. */
  gapRetryDelayMs?: number;
  logger: ConsumerLogger;
  metrics?: ConsumerMetrics;
  /**
   * Whether the consumer may be created here, or brought to these settings (the default). False
   * (`BAZAAR_PROVISIONING=check`): a durable consumer must be there — `bazaar migrate` made it —
   * and is only looked up, so a user that may not administer the stream can run it.
   */
  create?: boolean;
  /**
   * Handles a batch (in delivery order) and settles each delivery, in the same order. Throwing
   * retries the whole batch. `deadLetter` sets a poison event aside with the reason.
   */
  handle(deliveries: readonly Delivery[], tools: { deadLetter: (event: EventEnvelope, reason: string) => Promise<void> }): Promise<Settlement[]>;
}

export interface Consumer {
  /** The consumer's name on the server. */
  readonly name: string;
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

/** A durable consumer `bazaar migrate` made, looked up once; missing, the process says what to run. */
const existingConsumer = async (js: JetStreamClient, stream: string, durable: string) => {
  try {
    return await js.consumers.get(stream, durable);
  } catch (error) {
    if (error instanceof JetStreamApiError && (error.code === JetStreamApiCodes.ConsumerNotFound || error.code === JetStreamApiCodes.StreamNotFound)) {
      throw new Error(`consumer ${durable} on stream ${stream} is not there — run \`bazaar migrate\` first (or BAZAAR_PROVISIONING=create)`, { cause: error });
    }
    throw error;
  }
};

/** What a consumer is on the server: the stream it reads, its filter, its name and flow control. */
export type ConsumerSettings = Pick<ConsumerOptions, "stream" | "filterSubjects" | "durable" | "startSequence" | "batchSize" | "maxAckPending">;

/**
 * Creates the consumer on the server (or brings a durable one to these settings) and the
 * dead-letter stream it writes to; returns the consumer's name. `startConsumer` runs it first;
 * provisioning (`bazaar migrate`) runs it ahead of the processes.
 */
export const provisionConsumer = async (jsm: JetStreamManager, settings: ConsumerSettings): Promise<string> => {
  // Dead letters are kept as safely as the events they come from: at least as many replicas as
  // the source (the stream is shared by every consumer on the servers: never scaled down here).
  const [source, current] = await Promise.all([streamReplicas(jsm, settings.stream), streamReplicas(jsm, DEAD_LETTER_STREAM.name)]);
  await ensureStream(jsm, { ...DEAD_LETTER_STREAM, replicas: source === undefined ? undefined : Math.max(source, current ?? 1) });
  return ensureConsumer(jsm, settings.stream, {
    ...(settings.durable ? { durable_name: settings.durable } : { inactive_threshold: nanos(60_000) }),
    ack_policy: AckPolicy.Explicit,
    ...(settings.startSequence
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: settings.startSequence }
      : { deliver_policy: DeliverPolicy.All }),
    filter_subjects: [...settings.filterSubjects],
    ack_wait: nanos(30_000),
    max_ack_pending: settings.maxAckPending ?? 4 * settings.batchSize,
  });
};

/**
 * The one JetStream consumer loop of projectors and reactions. Messages are taken in adaptive
 * batches (whatever has arrived, up to `batchSize`): one at a time when traffic is light, so
 * latency stays low; hundreds at once when catching up. Malformed messages are dead-lettered;
 * every other message is settled by `handle`.
 */
export const startConsumer = async (options: ConsumerOptions): Promise<Consumer> => {
  const { js, jsm, logger, name, batchSize } = options;
  const metrics = options.metrics ?? noConsumerMetrics;
  const gapDelay = options.gapRetryDelayMs ?? 250;
  const deadLetterSubject = `deadletter.${name}`;

  const checkOnly = options.create === false && options.durable !== null;
  const consumerName = checkOnly ? options.durable! : await provisionConsumer(jsm, options);
  const consumer = checkOnly ? await existingConsumer(js, options.stream, consumerName) : await js.consumers.get(options.stream, consumerName);

  const publishDeadLetter = async (payload: Uint8Array, from: MsgHdrs | undefined, reason: string, source: string, id: string) => {
    const h = natsHeaders();
    for (const [key, values] of from ?? []) for (const value of values) h.append(key, value);
    h.set("Bazaar-Dead-Letter-Reason", reason.slice(0, 1000));
    h.set("Bazaar-Dead-Letter-Source", source);
    await js.publish(deadLetterSubject, payload, { headers: h, msgID: `${name}:${id}` });
    logger.error({ consumer: name, source, reason }, "event dead-lettered");
  };
  const deadLetter = async (event: EventEnvelope, reason: string) => {
    const { headers, payload } = encodeEnvelope(event);
    await publishDeadLetter(payload, headers, reason, `${options.stream}:${event.streamId}@${event.version}`, event.eventId);
    metrics.settled(name, "dead-lettered", 1);
  };

  const handleBatch = async (batch: JsMsg[]) => {
    const deliveries: Delivery[] = [];
    const messageOf: JsMsg[] = [];
    for (const msg of batch) {
      try {
        deliveries.push({ event: decodeEnvelope(msg.headers, msg.data), deliveryCount: msg.info.deliveryCount });
        messageOf.push(msg);
      } catch (error) {
        if (!(error instanceof MalformedEventError)) throw error;
        await publishDeadLetter(msg.data, msg.headers, `malformed: ${error.message}`, `${options.stream}:${msg.seq}:${msg.subject}`, `seq-${msg.seq}`);
        msg.term(error.message);
        metrics.settled(name, "malformed", 1);
      }
    }
    if (deliveries.length === 0) return;
    let settlements: Settlement[];
    try {
      settlements = await inBatchSpan(
        name,
        options.stream,
        deliveries.map((d) => d.event),
        () => options.handle(deliveries, { deadLetter }),
      );
    } catch (error) {
      logger.warn({ consumer: name, err: error, events: deliveries.length }, "batch failed, will retry");
      for (const msg of messageOf) msg.nak(1000);
      metrics.settled(name, "retry", deliveries.length);
      return;
    }
    settlements.forEach((settlement, i) => {
      const msg = messageOf[i]!;
      if (settlement.outcome === "done") msg.ack();
      else if (settlement.outcome === "retry") msg.nak(settlement.delayMs);
      else {
        msg.nak(gapDelay);
        const { event, deliveryCount } = deliveries[i]!;
        // Out-of-order arrival is normal; a gap that stays for about ten seconds is worth a look.
        if (deliveryCount % Math.max(2, Math.round(10_000 / gapDelay)) === 0) {
          logger.warn(
            { consumer: name, streamId: event.streamId, version: event.version, deliveries: deliveryCount },
            "gap: an earlier version is missing, event parked",
          );
        }
      }
      metrics.settled(name, settlement.outcome, 1);
    });
  };

  // Messages arrive into a buffer; the worker takes whatever is there as the next batch. The
  // reader pulls with short fetches rather than an endless consume: stopping waits for the
  // fetch in flight to end, so no message is delivered to a consumer that no longer listens
  // (it would sit unacknowledged until ack_wait ran out — a 30 s hole in the read model).
  const buffer: JsMsg[] = [];
  const lingerMs = options.lingerMs ?? 0;
  let wake: (() => void) | undefined;
  let full: (() => void) | undefined;
  let stopping = false;
  let closed = false;
  const reader = (async () => {
    while (!stopping) {
      try {
        for await (const msg of await consumer.fetch({ max_messages: 2 * batchSize, expires: FETCH_EXPIRES_MS })) {
          buffer.push(msg);
          wake?.();
          if (buffer.length >= batchSize) full?.();
        }
      } catch (error) {
        if (stopping) break;
        logger.warn({ consumer: name, err: error }, "fetch failed, will retry");
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    closed = true;
    wake?.();
    full?.();
  })();
  /** Until the batch is full, the reader stops, or lingerMs passes. */
  const lingerForMore = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        full = undefined;
        resolve();
      }, lingerMs);
      full = () => {
        clearTimeout(timer);
        full = undefined;
        resolve();
      };
    });
  const worker = (async () => {
    for (;;) {
      if (buffer.length === 0) {
        if (closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      if (lingerMs > 0 && buffer.length < batchSize && !closed) await lingerForMore();
      const batch = buffer.splice(0, batchSize);
      try {
        await handleBatch(batch);
      } catch (error) {
        logger.error({ consumer: name, err: error }, "unexpected consumer error; batch will be redelivered");
        for (const msg of batch) msg.nak(1000);
      }
    }
  })();

  const pendingTimer = options.durable
    ? setInterval(() => {
        jsm.consumers.info(options.stream, consumerName).then(
          (info) => metrics.pending(name, info.num_pending),
          () => undefined,
        );
      }, 5_000)
    : undefined;
  logger.info({ consumer: name, stream: options.stream, durable: consumerName }, "consumer started");

  return {
    name: consumerName,
    async stop() {
      clearInterval(pendingTimer);
      stopping = true;
      await reader;
      await worker;
    },
  };
};
