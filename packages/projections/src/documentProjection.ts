import type { EventEnvelope } from "@bazaar/core";

/**
 * A read model kept as one Elasticsearch document per aggregate. The document's external
 * version is the stream version it reflects, so each event applies once and in order.
 */
export interface DocumentProjection<Doc extends object> {
  /** Names the durable consumer and appears in logs and metrics. */
  name: string;
  /** The alias queries read; the concrete index behind it can be swapped. */
  alias: string;
  settings: Record<string, unknown>;
  mappings: Record<string, unknown>;
  /** The document an event belongs to, or undefined when this projection ignores the event. */
  documentId(event: EventEnvelope): string | undefined;
  /** The document after the event; `current` is undefined before the stream's first event. */
  evolve(current: Doc | undefined, event: EventEnvelope): Doc;
}
