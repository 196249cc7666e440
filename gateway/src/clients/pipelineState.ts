import { UnavailableError } from "@bazaar/core";
import { connectNats, DEAD_LETTER_STREAM, type NatsSettings } from "@bazaar/messaging";
import { retry, type Logger } from "@bazaar/runtime";
import { contextTopology } from "@bazaar/service-kit";
import { jetstreamManager, type ConsumerInfo, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

/** One durable consumer of a context's stream: a read model's projector or another context's reaction. */
export interface ConsumerState {
  context: string;
  consumer: string;
  /** Events in the stream it has not been delivered yet: how far behind it is. */
  pending: number;
  /** Delivered, not yet acknowledged (being handled, or parked behind a gap). */
  ackPending: number;
  redelivered: number;
  /** When it last received an event (RFC 3339), if ever. */
  lastActive?: string;
}

export interface PipelineReport {
  consumers: ConsumerState[];
  /** Events a consumer dead-lettered (refused for good), by consumer. */
  deadLetters: { consumer: string; count: number }[];
}

export interface PipelineState {
  read(): Promise<PipelineReport>;
  close(): Promise<void>;
}

const RETRY_CONNECT_MS = 2_000;

/** A consumer's state, from JetStream's own accounting. */
export const consumerStateOf = (context: string, info: ConsumerInfo): ConsumerState => ({
  context,
  consumer: info.name,
  pending: info.num_pending,
  ackPending: info.num_ack_pending,
  redelivered: info.num_redelivered,
  ...(info.delivered.last_active ? { lastActive: new Date(info.delivered.last_active).toISOString() } : {}),
});

/** `deadletter.<consumer>` subjects and their message counts → the consumers of this namespace's contexts. */
export const deadLettersOf = (subjects: Record<string, number>, consumers: ReadonlySet<string>): PipelineReport["deadLetters"] =>
  Object.entries(subjects)
    .map(([subject, count]) => ({ consumer: subject.slice("deadletter.".length), count }))
    .filter((entry) => consumers.has(entry.consumer))
    .sort((a, b) => a.consumer.localeCompare(b.consumer));

/**
 * What the asynchronous side is doing, read from JetStream: every durable consumer of each
 * context's stream (projectors and reactions) with how far behind it is, and the events each
 * dead-lettered. The gateway reads it for operators (`GET /v1/operations/pipeline`, the console);
 * it serves everything else without NATS, so it connects in the background and answers 503 while
 * NATS is not reachable.
 */
export const createPipelineState = (deps: {
  nats: Omit<NatsSettings, "name">;
  namespace: string;
  contexts: readonly string[];
  logger: Logger;
}): PipelineState => {
  let connection: NatsConnection | undefined;
  let jsm: JetStreamManager | undefined;
  const closing = new AbortController();
  // Until it connects or is closed: every RETRY_CONNECT_MS, however long NATS stays away.
  const connected = retry(
    async () => {
      const opened = await connectNats({ ...deps.nats, name: "gateway-operations" });
      connection = opened;
      jsm = await jetstreamManager(opened);
    },
    {
      attempts: Number.POSITIVE_INFINITY,
      baseDelayMs: RETRY_CONNECT_MS,
      maxDelayMs: RETRY_CONNECT_MS,
      jitter: false,
      signal: closing.signal,
      retryable: () => true,
      onRetry: (err) => deps.logger.warn({ err }, "NATS not reachable for the pipeline state; retrying"),
    },
  ).catch(() => undefined);

  return {
    async read() {
      if (!jsm) throw new UnavailableError("NATS is not reachable from the gateway: the pipeline state is unknown");
      return readFrom(jsm).catch((error: unknown) => {
        throw new UnavailableError(`JetStream did not answer: ${(error as Error).message}`, { cause: error });
      });
    },
    async close() {
      closing.abort();
      await connection?.drain().catch(() => undefined);
      // A connection an attempt in flight opens after this is closed as soon as it is there.
      void connected.then(() => connection?.drain().catch(() => undefined));
    },
  };

  async function readFrom(manager: JetStreamManager): Promise<PipelineReport> {
    const consumers = (
      await Promise.all(
        deps.contexts.map(async (context) => {
          const stream = contextTopology(context, deps.namespace).stream.name;
          const infos: ConsumerInfo[] = [];
          try {
            // Durable consumers only: projectors and reactions (a query role's ephemeral change feed is not behind anything).
            for await (const info of manager.consumers.list(stream)) if (info.config.durable_name) infos.push(info);
          } catch (error) {
            // A context that never started has no stream yet: nothing behind.
            if (!/stream not found/i.test((error as Error).message)) throw error;
          }
          return infos.map((info) => consumerStateOf(context, info));
        }),
      )
    ).flat();
    const names = new Set(consumers.map((c) => c.consumer));
    const deadLetterInfo = await manager.streams.info(DEAD_LETTER_STREAM.name, { subjects_filter: ">" }).catch((error: unknown) => {
      if (/stream not found/i.test((error as Error).message)) return undefined;
      throw error;
    });
    return {
      consumers: consumers.sort((a, b) => a.context.localeCompare(b.context) || a.consumer.localeCompare(b.consumer)),
      deadLetters: deadLettersOf(deadLetterInfo?.state.subjects ?? {}, names),
    };
  }
};
