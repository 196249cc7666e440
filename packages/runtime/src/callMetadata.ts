import type { EventMetadata } from "@bazaar/core";
import { Metadata } from "@grpc/grpc-js";

/** gRPC metadata keys that carry who asked and why across hops. */
const KEYS = { correlation: "x-correlation-id", causation: "x-causation-id", actor: "x-actor", traceparent: "traceparent" } as const;

const first = (metadata: Metadata, key: string): string | undefined => {
  const value = metadata.get(key)[0];
  return typeof value === "string" && value.length > 0 ? value : undefined;
};

/**
 * The event metadata for a command received over gRPC: the command's own id is the causation
 * of the events it produces; the correlation id is inherited, or starts here.
 */
export const eventMetadataFrom = (metadata: Metadata, commandId: string): EventMetadata => ({
  causationId: first(metadata, KEYS.causation) ?? commandId,
  correlationId: first(metadata, KEYS.correlation) ?? commandId,
  actor: first(metadata, KEYS.actor) ?? "anonymous",
  traceparent: first(metadata, KEYS.traceparent),
});

/** Outgoing call metadata from a caller's context. */
export const callMetadata = (context: { correlationId: string; causationId?: string; actor: string; traceparent?: string | undefined }): Metadata => {
  const metadata = new Metadata();
  metadata.set(KEYS.correlation, context.correlationId);
  if (context.causationId) metadata.set(KEYS.causation, context.causationId);
  metadata.set(KEYS.actor, context.actor);
  if (context.traceparent) metadata.set(KEYS.traceparent, context.traceparent);
  return metadata;
};
