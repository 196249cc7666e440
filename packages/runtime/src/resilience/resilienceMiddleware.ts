import type { UnaryMethodInfo, UnaryMiddleware } from "../unaryClient.js";
import type { Resilience } from "./resilience.js";

/**
 * Every call of a client behind the resilience guard of its service: a breaker per
 * method; one bulkhead for its queries, one for its commands, so a burst of reads cannot starve
 * the writes — or the other way round — and one for reads that wait for a consistency token's
 * version, which hold their slot up to the wait: a flood of them, forged or not, fills only their
 * own lane. Retried only when the method's proto declares it idempotent or free of side effects.
 */
export const resilienceMiddleware =
  (resilience: Pick<Resilience, "guard">): UnaryMiddleware =>
  (method, request, attempt, signal) =>
    resilience.guard(method.service, method.method, { idempotent: method.retryable, lane: laneOf(method, request), signal }, attempt);

const laneOf = (method: UnaryMethodInfo, request: unknown): string => {
  if (method.idempotency !== "no-side-effects") return "commands";
  const consistency = (request as { consistency?: { minVersion?: number; positions?: readonly unknown[] } } | undefined)?.consistency;
  return (consistency?.minVersion ?? 0) > 0 || (consistency?.positions?.length ?? 0) > 0 ? "consistent-reads" : "queries";
};
