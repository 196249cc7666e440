import type { EventEnvelope } from "@bazaar/core";

/** The catalog's JetStream stream and its subjects: `catalog.events.<streamId>.<EventName>`. */
export const CATALOG_STREAM = {
  name: "CATALOG",
  subjects: ["catalog.events.>"],
  duplicateWindowMs: 2 * 60_000,
} as const;

export const catalogSubjectFor = (event: EventEnvelope): string => {
  const eventName = event.type.split(".")[1] ?? "Unknown";
  return `catalog.events.${event.streamId}.${eventName}`;
};
