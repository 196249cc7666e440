import { catalogService } from "@bazaar/catalog/projections";
import { customerService } from "@bazaar/customer/projections";
import { inventoryService } from "@bazaar/inventory/projections";
import { orderingService } from "@bazaar/ordering/projections";
import type { DocumentProjection } from "@bazaar/projections";
import { contextTopology, type ServiceParts } from "@bazaar/service-kit";
import type { CliConfig } from "./config.js";

/** A read model the CLI can rebuild or verify, with the keyspace whose event store feeds it. */
export interface RegisteredProjection {
  projection: DocumentProjection<object>;
  stream: string;
  filterSubjects: readonly string[];
  keyspace: string;
}

/** Every bounded context, as its processes are composed. */
export const serviceContexts: readonly ServiceParts[] = [catalogService, customerService, inventoryService, orderingService];

/** Every context's read models, by (namespaced) projection name. */
export const registeredProjections = (config: CliConfig): Map<string, RegisteredProjection> => {
  const entries = serviceContexts.flatMap((service) => {
    const topology = contextTopology(service.context, config.namespace);
    const keyspace = process.env[`${service.context.toUpperCase()}_KEYSPACE`] ?? service.context;
    return service.projections.map((projection) => ({ ...topology.bind(projection), keyspace }));
  });
  return new Map(entries.map((entry) => [entry.projection.name, entry]));
};
