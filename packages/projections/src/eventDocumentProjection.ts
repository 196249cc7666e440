import type { EventEnvelope } from "@bazaar/core";
import type { DocumentProjection } from "./documentProjection.js";

/** A document that carries the time of the last event applied to it. */
export interface Stamped {
  updatedAt: string;
}

/** A context's read model of one document per stream, told by what differs between contexts. */
export interface EventDocumentSpec<Doc extends Stamped, Event extends { type: string }, First extends Event["type"]> {
  name: string;
  alias: string;
  /** The document's fields but `updatedAt`, which every such document has. */
  properties: Record<string, unknown>;
  handlesStream: (streamId: string) => boolean;
  documentId: (streamId: string) => string;
  /** The context's typed decode of its events, stored or published; undefined for a type this version does not know. */
  decodeKnown: (envelope: EventEnvelope) => Event | undefined;
  /** The event that begins a stream's document, and the document it begins (whatever came before). */
  first?: { type: First; document(event: Extract<Event, { type: First }>, at: string): Doc };
  /** For streams without a beginning event: the document before any event applied. */
  empty?(streamId: string, at: string): Doc;
  /** The document after a later event; `at` is the event's recorded time. */
  apply(current: Doc, event: Exclude<Event, { type: First }>, at: string): Doc;
}

/** `catalog.ProductCreated.v1` → `ProductCreated`. */
const shortName = (type: string) => type.split(".")[1] ?? type;

/**
 * The projection of `spec`: every event decodes once, stamps `updatedAt` with its recorded time
 * and moves the document's version, also an event of a type this version does not know (a newer
 * writer's), which changes nothing else. An event before the stream's first one is an error
 * (dead-lettered with the reason), never a half-made document.
 */
export const eventDocumentProjection = <Doc extends Stamped, Event extends { type: string }, First extends Event["type"] = never>(
  spec: EventDocumentSpec<Doc, Event, First>,
): DocumentProjection<Doc> => ({
  name: spec.name,
  alias: spec.alias,
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "1s" },
  mappings: { dynamic: "strict", properties: { ...spec.properties, updatedAt: { type: "date" } } },
  handlesStream: spec.handlesStream,
  documentId: spec.documentId,
  evolve(current, envelope) {
    const at = envelope.recordedAt.toISOString();
    const event = spec.decodeKnown(envelope);
    const { first } = spec;
    if (first && event?.type === first.type) return first.document(event as Extract<Event, { type: First }>, at);
    const document = current ?? spec.empty?.(envelope.streamId, at);
    if (!document) throw new Error(`${envelope.type} arrived before ${shortName(first?.type ?? "its first event")} for ${envelope.streamId}`);
    return event ? spec.apply(document, event as Exclude<Event, { type: First }>, at) : { ...document, updatedAt: at };
  },
});
