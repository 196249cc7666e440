import type { EventEnvelope } from "@bazaar/core";
import { headers, type MsgHdrs } from "@nats-io/transport-node";

/**
 * The envelope travels as headers so consumers can route and dedupe without parsing the body;
 * the body is the event's data as JSON (the shape its proto message documents).
 */
const H = {
  id: "Bazaar-Event-Id",
  type: "Bazaar-Event-Type",
  stream: "Bazaar-Stream-Id",
  version: "Bazaar-Stream-Version",
  recordedAt: "Bazaar-Recorded-At",
  causation: "Bazaar-Causation-Id",
  correlation: "Bazaar-Correlation-Id",
  actor: "Bazaar-Actor",
  traceparent: "traceparent",
} as const;

export interface EncodedEvent {
  headers: MsgHdrs;
  payload: Uint8Array;
}

export const encodeEnvelope = (envelope: EventEnvelope): EncodedEvent => {
  const h = headers();
  h.set(H.id, envelope.eventId);
  h.set(H.type, envelope.type);
  h.set(H.stream, envelope.streamId);
  h.set(H.version, String(envelope.version));
  h.set(H.recordedAt, envelope.recordedAt.toISOString());
  h.set(H.causation, envelope.metadata.causationId);
  h.set(H.correlation, envelope.metadata.correlationId);
  h.set(H.actor, envelope.metadata.actor);
  if (envelope.metadata.traceparent) h.set(H.traceparent, envelope.metadata.traceparent);
  return { headers: h, payload: new TextEncoder().encode(JSON.stringify(envelope.data)) };
};

/** Thrown for a message that is not a Bazaar event: a consumer dead-letters it. */
export class MalformedEventError extends Error {
  override name = "MalformedEventError";
}

export const decodeEnvelope = (hdrs: MsgHdrs | undefined, payload: Uint8Array): EventEnvelope => {
  const get = (key: string): string => {
    const value = hdrs?.get(key);
    if (!value) throw new MalformedEventError(`missing header ${key}`);
    return value;
  };
  const version = Number(get(H.version));
  if (!Number.isSafeInteger(version) || version < 1) throw new MalformedEventError(`bad ${H.version}`);
  const recordedAt = new Date(get(H.recordedAt));
  if (Number.isNaN(recordedAt.getTime())) throw new MalformedEventError(`bad ${H.recordedAt}`);
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(payload));
  } catch (error) {
    throw new MalformedEventError("body is not JSON", { cause: error });
  }
  return {
    eventId: get(H.id),
    type: get(H.type),
    streamId: get(H.stream),
    version,
    recordedAt,
    data,
    metadata: {
      causationId: get(H.causation),
      correlationId: get(H.correlation),
      actor: get(H.actor),
      traceparent: hdrs?.get(H.traceparent) || undefined,
    },
  };
};
