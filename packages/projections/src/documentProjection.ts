import type { EventEnvelope } from "@bazaar/core";

/**
 * A read model kept as one Elasticsearch document per event stream. The document's external
 * version is the stream version it reflects, so each event applies once and in order, and
 * "has the read model caught up with stream S at version V" is one real-time GET.
 */
export interface DocumentProjection<Doc extends object> {
  /** Names the durable consumer, the CLI argument and the metrics label. */
  name: string;
  /** The alias queries read; the concrete index behind it is swapped by a rebuild. */
  alias: string;
  settings: Record<string, unknown>;
  mappings: Record<string, unknown>;
  /** Event-store streams this projection is built from (rebuild and verify fold these). */
  handlesStream(streamId: string): boolean;
  /** The document of a stream. */
  documentId(streamId: string): string;
  /** The document after the event; `current` is undefined before the stream's first event. */
  evolve(current: Doc | undefined, event: EventEnvelope): Doc;
}

/** Folds a whole stream into its document, as rebuild and verify expect it. */
export const foldDocument = <Doc extends object>(projection: DocumentProjection<Doc>, events: readonly EventEnvelope[]): Doc | undefined =>
  events.reduce<Doc | undefined>((doc, event) => projection.evolve(doc, event), undefined);
