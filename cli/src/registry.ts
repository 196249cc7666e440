import { catalogTopology } from "@bazaar/catalog/projections";
import type { DocumentProjection } from "@bazaar/projections";
import type { CliConfig } from "./config.js";

/** A read model the CLI can rebuild or verify, with the keyspace whose event store feeds it. */
export interface RegisteredProjection {
  projection: DocumentProjection<object>;
  stream: string;
  filterSubjects: readonly string[];
  keyspace: string;
}

/** Every context's read models, by projection name. */
export const registeredProjections = (config: CliConfig): Map<string, RegisteredProjection> => {
  const entries: RegisteredProjection[] = [
    ...catalogTopology(config.namespace).projections.map((p) => ({ ...p, keyspace: config.keyspaces.catalog })),
  ];
  return new Map(entries.map((entry) => [entry.projection.name, entry]));
};
