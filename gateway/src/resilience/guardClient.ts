import type { Resilience } from "./resilience.js";

/**
 * Puts every call of a gRPC client wrapper behind the resilience guard of its service (breaker
 * per method, bulkhead per service); `idempotent` says which methods may be retried.
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
        : (...args: unknown[]) => resilience.guard(service, method, { idempotent: idempotent(method) }, () => (call as (...a: unknown[]) => Promise<unknown>)(...args)),
    ]),
  ) as Client;

/**
 * Queries may be retried; of the commands only those the context takes again as done: keyed by
 * the order (reserve, release), or no-ops once applied (confirm, reject, apply a rename).
 */
export const isIdempotentCall = (method: string): boolean =>
  /^(get|search|list|check)/.test(method) || ["reserve", "release", "applyProductRename", "confirmOrder", "rejectOrder"].includes(method);
