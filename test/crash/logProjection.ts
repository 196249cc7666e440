import type { EventEnvelope } from "@bazaar/core";
import type { DocumentProjection } from "@bazaar/projections";

export interface LogDoc {
  streamId: string;
  versions: number[];
}

/**
 * One document per stream listing the versions applied to it, in the order they were applied:
 * a duplicate or out-of-order application shows up in the data itself.
 */
export const logProjection = (alias: string): DocumentProjection<LogDoc> => ({
  name: `${alias}-projector`,
  alias,
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "1s" },
  mappings: { properties: { streamId: { type: "keyword" }, versions: { type: "long" } } },
  handlesStream: (streamId) => streamId.startsWith("crash-"),
  documentId: (streamId) => streamId,
  evolve: (current, event: EventEnvelope) => ({ streamId: event.streamId, versions: [...(current?.versions ?? []), event.version] }),
});
