import type { UnaryClient } from "@bazaar/runtime";
import type { ServiceDefinition } from "@grpc/grpc-js";

/**
 * Opens a client of one generated service at `address`, every call through the gateway's
 * middleware (deadline from the request budget, retry, bulkhead, breaker): one per context,
 * built in the composition root.
 */
export type Connect = <Service extends ServiceDefinition>(definition: Service, address: string) => UnaryClient<Service>;

/** Where a context's command and query roles listen. */
export interface ContextAddresses {
  commandAddress: string;
  queryAddress: string;
}
