import type { EventEnvelope } from "@bazaar/core";
import type { StreamSettings } from "@bazaar/messaging";
import { productSearchProjection } from "./projections/productSearchProjection.js";

/**
 * Every name the catalog owns outside its keyspace: its JetStream stream and subjects, its
 * read models' aliases and consumers. A namespace (`BAZAAR_NAMESPACE`) prefixes them all, so
 * a test run or a second environment on the same servers never touches another's data.
 *
 * Subjects: `[<ns>.]catalog.events.<streamId>.<EventName>`.
 */
export const catalogTopology = (namespace = "") => {
  const dot = namespace ? `${namespace}.` : "";
  const dash = namespace ? `${namespace}-` : "";
  const stream: StreamSettings = {
    name: `${namespace ? `${namespace.toUpperCase()}_` : ""}CATALOG`,
    subjects: [`${dot}catalog.events.>`],
    duplicateWindowMs: 2 * 60_000,
  };
  const productSearch = { ...productSearchProjection, name: `${dash}${productSearchProjection.name}`, alias: `${dash}${productSearchProjection.alias}` };
  return {
    stream,
    subjectFor: (event: EventEnvelope): string => `${dot}catalog.events.${event.streamId}.${event.type.split(".")[1] ?? "Unknown"}`,
    productSearch,
    /** The read models, as the projector role and the `bazaar projections` CLI run them. */
    projections: [{ projection: productSearch, stream: stream.name, filterSubjects: stream.subjects }],
  };
};

export type CatalogTopology = ReturnType<typeof catalogTopology>;
