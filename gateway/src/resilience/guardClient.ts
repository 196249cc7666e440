import type { Resilience } from "./resilience.js";

/**
 * Puts every call of a gRPC client wrapper behind the resilience guard of its service (breaker
 * per method; one bulkhead for its queries, one for its commands, so a burst of reads cannot
 * starve the writes — or the other way round); `idempotent` says which methods may be retried.
 */
export const guardClient = <Client extends { close(): void }>(
  client: Client,
  resilience: Pick<Resilience, "guard">,
  service: string,
  idempotent: (method: string) => boolean,
): Client =>
  Object.fromEntries(
    Object.entries(client).map(([method, call]) => [
      method,
      method === "close" || typeof call !== "function"
        ? call
        : (...args: unknown[]) =>
            resilience.guard(service, method, { idempotent: idempotent(method), lane: isQueryCall(method) ? "queries" : "commands" }, () =>
              (call as (...a: unknown[]) => Promise<unknown>)(...args),
            ),
    ]),
  ) as Client;

/** A read: served by the context's query role. */
export const isQueryCall = (method: string): boolean => /^(get|search|list|check)/.test(method);

/**
 * Queries may be retried; of the commands only those the context takes again as done: keyed by
 * the order (reserve, release), or no-ops once applied (confirm, reject, apply a rename).
 */
export const isIdempotentCall = (method: string): boolean =>
  isQueryCall(method) || ["reserve", "release", "applyProductRename", "confirmOrder", "rejectOrder"].includes(method);
