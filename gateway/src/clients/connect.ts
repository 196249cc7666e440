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

interface Closable {
  close(): void;
}

/** A context's clients (its command, query and other services) as one: every method of each, one close for all. */
export function joinClients<A extends Closable, B extends Closable>(a: A, b: B): A & B;
export function joinClients<A extends Closable, B extends Closable, C extends Closable>(a: A, b: B, c: C): A & B & C;
export function joinClients(...clients: Closable[]): Closable {
  const close = () => {
    for (const client of clients) client.close();
  };
  // Their own close last: the joined one closes them all.
  return clients.reduce<Closable>((joined, client) => ({ ...client, ...joined }), { close });
}
