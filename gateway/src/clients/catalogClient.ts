import { CatalogCommandServiceService, CatalogHistoryServiceService, CatalogQueryServiceService } from "@bazaar/contracts/catalog/v1";
import type { UnaryClient } from "@bazaar/runtime";
import { joinClients, type Connect, type ContextAddresses } from "./connect.js";

/**
 * The gateway's view of the catalog: every call of its command, history and query services,
 * typed by the generated definitions, with a deadline and typed errors back.
 */
export type CatalogClient = UnaryClient<typeof CatalogCommandServiceService> &
  UnaryClient<typeof CatalogHistoryServiceService> &
  UnaryClient<typeof CatalogQueryServiceService>;

export const createCatalogClient = (connect: Connect, addresses: ContextAddresses): CatalogClient =>
  joinClients(
    connect(CatalogCommandServiceService, addresses.commandAddress),
    // The history is read from the event store: the command role serves it.
    connect(CatalogHistoryServiceService, addresses.commandAddress),
    connect(CatalogQueryServiceService, addresses.queryAddress),
  );
