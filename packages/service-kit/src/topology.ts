import type { EventEnvelope } from "@bazaar/core";
import type { StreamSettings } from "@bazaar/messaging";
import type { DocumentProjection } from "@bazaar/projections";

/** A projection together with the stream and subjects that feed it. */
export interface ProjectionBinding {
  projection: DocumentProjection<object>;
  stream: string;
  filterSubjects: readonly string[];
}

/**
 * Every name a context owns outside its keyspace: its JetStream stream and subjects, its read
 * models' aliases and consumers. A namespace (`BAZAAR_NAMESPACE`) prefixes them all, so a test
 * run or a second environment on the same servers never touches another's data.
 *
 * Subjects: `[<ns>.]<context>.events.<streamId>.<EventName>`. `streamReplicas` (`NATS_STREAM_REPLICAS`)
 * is how many copies of its stream JetStream keeps; unset, the stream keeps what it has.
 */
export const contextTopology = (context: string, namespace = "", streamReplicas?: number) => {
  const dot = namespace ? `${namespace}.` : "";
  const dash = namespace ? `${namespace}-` : "";
  const stream: StreamSettings = {
    name: `${namespace ? `${namespace.toUpperCase()}_` : ""}${context.toUpperCase()}`,
    subjects: [`${dot}${context}.events.>`],
    duplicateWindowMs: 2 * 60_000,
    replicas: streamReplicas,
  };
  return {
    stream,
    subjectFor: (event: EventEnvelope): string => `${dot}${context}.events.${event.streamId}.${event.type.split(".")[1] ?? "Unknown"}`,
    /** Every event of one event-store stream: how a consumer reads back versions it missed. */
    subjectOfStream: (streamId: string): string => `${dot}${context}.events.${streamId}.*`,
    /** The projection under this namespace: its alias and consumer name prefixed. */
    bind: <Doc extends object>(projection: DocumentProjection<Doc>): ProjectionBinding => ({
      projection: { ...projection, name: `${dash}${projection.name}`, alias: `${dash}${projection.alias}` },
      stream: stream.name,
      filterSubjects: stream.subjects,
    }),
    alias: (base: string) => `${dash}${base}`,
  };
};

export type ContextTopology = ReturnType<typeof contextTopology>;
