import type { Resilience } from "./resilience.js";

/**
 * Puts every call of a gRPC client wrapper behind the resilience guard of its service (breaker
 * per method; one bulkhead for its queries, one for its commands, so a burst of reads cannot
 * starve the writes — or the other way round — and one for reads that wait for a consistency
 * token's version, which hold their slot up to the wait: a flood of them, forged or not, fills
 * only their own lane); `idempotent` says which methods may be retried.
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
            resilience.guard(service, method, { idempotent: idempotent(method), lane: laneOf(method, args[0]) }, () =>
              (call as (...a: unknown[]) => Promise<unknown>)(...args),
            ),
    ]),
  ) as Client;

const laneOf = (method: string, request: unknown): string => {
  if (!isQueryCall(method)) return "commands";
  const consistency = (request as { consistency?: { minVersion?: number; positions?: readonly unknown[] } } | undefined)?.consistency;
  return (consistency?.minVersion ?? 0) > 0 || (consistency?.positions?.length ?? 0) > 0 ? "consistent-reads" : "queries";
};

/** A read: served by the context's query role. */
export const isQueryCall = (method: string): boolean => /^(get|search|list|check)/.test(method);

/**
 * Queries may be retried; of the commands only those the context takes again as done: keyed by
 * the order (reserve, release), or no-ops once applied (confirm, reject, apply a rename).
 */
export const isIdempotentCall = (method: string): boolean =>
  isQueryCall(method) || ["reserve", "release", "applyProductRename", "confirmOrder", "rejectOrder"].includes(method);
