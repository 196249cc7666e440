import { crashPoint } from "@bazaar/event-store";
import {
  done,
  parked,
  retryAfter,
  startConsumer,
  startEventSpans,
  type ConsumerLogger,
  type ConsumerMetrics,
  type ConsumerSettings,
  type MissingEvents,
  type Settlement,
} from "@bazaar/messaging";
import type { Client } from "@elastic/elasticsearch";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { DocumentProjection } from "./documentProjection.js";
import { applyEvents, DocumentCache } from "./documentWriter.js";
import { noProjectionMetrics, type ProjectionMetrics } from "./projectionMetrics.js";

export type ProjectorLogger = ConsumerLogger;

export interface ProjectorOptions<Doc extends object> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  es: Client;
  stream: string;
  filterSubjects: readonly string[];
  projection: DocumentProjection<Doc>;
  /**
   * Where a version that has not arrived is read instead of waiting for it: the context's own
   * event store (`missingFromEventStore`), so a read model can never stay behind a gap.
   */
  missing: MissingEvents;
  logger: ProjectorLogger;
  metrics?: ProjectionMetrics;
  consumerMetrics?: ConsumerMetrics;
  /** Where documents are written: the alias (default) or a concrete index during a rebuild. */
  index?: string;
  /** Durable consumer name (default: the projection's name); null for an ephemeral consumer. */
  durable?: string | null;
  /** Start at this stream sequence instead of the beginning (ephemeral consumers). */
  startSequence?: number;
  /** Most events applied in one multi-get + bulk. */
  batchSize?: number;
  /** How long an event whose gap could not be filled waits before redelivery. */
  gapRetryDelayMs?: number;
  /** How many recently written documents to remember instead of reading them back. */
  cacheSize?: number;
  /** False: the durable consumer must exist (`BAZAAR_PROVISIONING=check`); it is not created or changed. */
  create?: boolean;
}

export interface Projector {
  /** The consumer's name on the server. */
  readonly consumer: string;
  stop(): Promise<void>;
}

/**
 * How long a projector lets a batch fill before writing it: Elasticsearch's cost is mostly per
 * bulk request, not per document, and under steady load batches were ~3 events (docs/benchmarks.md
 * §5m). Each event then waits up to this long before it is written (visibility to search is
 * bounded by the index's 1 s refresh anyway); a catching-up projector has full batches and never waits.
 */
export const PROJECTOR_LINGER_MS = 25;

/** The JetStream consumer a projector reads through: durable under its projection's name unless told, batches of 500. */
export const projectorConsumer = (
  options: Pick<ProjectorOptions<object>, "stream" | "filterSubjects" | "projection" | "durable" | "startSequence" | "batchSize">,
): ConsumerSettings => ({
  stream: options.stream,
  filterSubjects: options.filterSubjects,
  durable: options.durable === undefined ? options.projection.name : options.durable,
  ...(options.startSequence === undefined ? {} : { startSequence: options.startSequence }),
  batchSize: options.batchSize ?? 500,
});

/**
 * Feeds a document projection from JetStream: per batch one multi-get (what the cache does not
 * hold), gaps filled from the event store, one bulk of whole documents with external versions.
 */
export const startProjector = async <Doc extends object>(options: ProjectorOptions<Doc>): Promise<Projector> => {
  const { es, projection } = options;
  const metrics = options.metrics ?? noProjectionMetrics;
  const index = options.index ?? projection.alias;
  const cache = new DocumentCache<Doc>(options.cacheSize ?? 20_000);
  const label = projection.name;

  const consumer = await startConsumer({
    ...options,
    ...projectorConsumer(options),
    lingerMs: PROJECTOR_LINGER_MS,
    name: label,
    metrics: options.consumerMetrics,
    async handle(deliveries, { deadLetter }) {
      const settlements: Settlement[] = deliveries.map(() => done);
      const position = new Map(deliveries.map((delivery, i) => [delivery.event, i]));
      const events = deliveries.map((d) => d.event).filter((event) => projection.handlesStream(event.streamId));
      if (events.length === 0) return settlements;
      // One span per event in the event's trace, for as long as the bulk that applies it takes.
      const spans = startEventSpans("@bazaar/projections", `apply ${label}`, events, {
        "bazaar.projection": label,
        "db.system.name": "elasticsearch",
        "db.collection.name": index,
      });
      let decisions: Awaited<ReturnType<typeof applyEvents>>;
      try {
        decisions = await applyEvents(es, projection, index, events, { cache, missing: options.missing });
      } catch (error) {
        spans.fail(error);
        throw error;
      }
      for (const decision of decisions)
        spans.end(decision.event, { "bazaar.projection.outcome": decision.outcome, "bazaar.projection.repaired": decision.repaired === true });
      spans.endRest();
      // Written but not acknowledged: a crash here means redelivery, which the versions absorb.
      crashPoint("projector-after-write");
      const applied: Date[] = [];
      for (const decision of decisions) {
        if (decision.outcome === "applied") applied.push(decision.event.recordedAt);
        if (decision.outcome === "dead-lettered") await deadLetter(decision.event, decision.reason ?? "evolve failed");
        metrics.outcome(label, decision.repaired && decision.outcome === "applied" ? "repaired" : decision.outcome, 1);
        const i = position.get(decision.event);
        if (i === undefined) continue;
        if (decision.outcome === "gap") settlements[i] = parked;
        else if (decision.outcome === "failed") settlements[i] = retryAfter(1000);
      }
      metrics.applied(label, applied);
      return settlements;
    },
  });
  return { consumer: consumer.name, stop: () => consumer.stop() };
};
