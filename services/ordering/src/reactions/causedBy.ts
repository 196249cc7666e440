import type { EventEnvelope, EventMetadata } from "@bazaar/core";

/** The commands a reaction sends for an event are caused by it, in its correlation and trace. */
export const causedBy = (event: EventEnvelope): EventMetadata => ({ ...event.metadata, causationId: event.eventId });
