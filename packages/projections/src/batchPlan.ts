import type { EventEnvelope } from "@bazaar/core";
import type { DocumentProjection } from "./documentProjection.js";

export type Outcome = "applied" | "duplicate" | "gap" | "dead-lettered";

export interface Decision {
  event: EventEnvelope;
  outcome: Outcome;
  /** Why an event was dead-lettered. */
  reason?: string;
}

export interface DocumentState<Doc> {
  doc: Doc | undefined;
  /** The stream version the document reflects; 0 when there is no document. */
  version: number;
}

export interface BatchPlan<Doc> {
  /** Whole documents to index, each at the stream version it now reflects. */
  writes: Map<string, { doc: Doc; version: number }>;
  decisions: Decision[];
}

/**
 * Decides, without I/O, what a batch of events does to the documents as they are now: per
 * stream in version order, an event at or below the document's version is a duplicate, the
 * next one applies, anything after a missing version is a gap and waits. An event whose
 * evolve throws is dead-lettered; the document's version still advances past it so the stream
 * is not blocked behind a poison event.
 */
export const planBatch = <Doc extends object>(
  projection: DocumentProjection<Doc>,
  current: ReadonlyMap<string, DocumentState<Doc>>,
  events: readonly EventEnvelope[],
): BatchPlan<Doc> => {
  const byDocument = Map.groupBy(events, (event) => projection.documentId(event.streamId));
  const writes = new Map<string, { doc: Doc; version: number }>();
  const decisions: Decision[] = [];
  for (const [id, stream] of byDocument) {
    let state = current.get(id) ?? { doc: undefined, version: 0 };
    let changed = false;
    for (const event of [...stream].sort((a, b) => a.version - b.version)) {
      if (event.version <= state.version) {
        decisions.push({ event, outcome: "duplicate" });
      } else if (event.version > state.version + 1) {
        decisions.push({ event, outcome: "gap" });
      } else {
        try {
          state = { doc: projection.evolve(state.doc, event), version: event.version };
          decisions.push({ event, outcome: "applied" });
        } catch (error) {
          state = { doc: state.doc, version: event.version };
          decisions.push({ event, outcome: "dead-lettered", reason: error instanceof Error ? error.message : String(error) });
        }
        changed = true;
      }
    }
    if (changed && state.doc) writes.set(id, { doc: state.doc, version: state.version });
  }
  return { writes, decisions };
};
