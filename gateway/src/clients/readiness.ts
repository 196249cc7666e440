import { createHealthClient, type ServingStatus } from "@bazaar/runtime";
import { cachedReadiness } from "./cachedReadiness.js";

export interface ReadinessReport {
  ready: boolean;
  services: Record<string, ServingStatus>;
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
  close(): void;
}

/**
 * Asks every downstream's `grpc.health.v1` at once; ready only if each one is SERVING. The
 * answer is reused for `cacheMs` (default 1 s): `/readyz` is public (see cachedReadiness.ts).
 */
export const createReadiness = (targets: Record<string, string>, timeoutMs: number, cacheMs = 1000): Readiness => {
  const clients = Object.entries(targets).map(([name, address]) => [name, createHealthClient(address, timeoutMs)] as const);
  return cachedReadiness(
    {
      async check() {
        const statuses = await Promise.all(clients.map(async ([name, client]) => [name, await client.check()] as const));
        return { ready: statuses.every(([, status]) => status === "SERVING"), services: Object.fromEntries(statuses) };
      },
      close() {
        for (const [, client] of clients) client.close();
      },
    },
    cacheMs,
  );
};
