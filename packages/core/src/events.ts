/** A domain event as a decider emits it: a versioned type name and its data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** Who and what caused an event; travels with it from command to every consumer. */
export interface EventMetadata {
  causationId: string;
  correlationId: string;
  traceparent?: string | undefined;
  actor: string;
}

/** An event as stored and published: the domain event plus its place in a stream. */
export interface EventEnvelope<Data = unknown> {
  eventId: string;
  /** Context-qualified, versioned: `catalog.ProductCreated.v1`. */
  type: string;
  streamId: string;
  /** 1-based position in the stream; the first event of a stream has version 1. */
  version: number;
  recordedAt: Date;
  data: Data;
  metadata: EventMetadata;
}

/** What a caller hands the event store: the store assigns the version. */
export interface NewEvent<Data = unknown> {
  eventId: string;
  type: string;
  data: Data;
  recordedAt: Date;
  metadata: EventMetadata;
}
