import { z } from "zod";
import type { Readiness } from "../clients/readiness.js";
import { defineRoute, type Route } from "../openapi/defineRoute.js";

const Health = z.object({ status: z.literal("ok") });
const Ready = z
  .object({
    status: z.enum(["ready", "not-ready"]),
    services: z
      .record(z.string(), z.enum(["SERVING", "NOT_SERVING", "UNKNOWN", "SERVICE_UNKNOWN", "UNREACHABLE"]))
      .describe("Each downstream's gRPC health, by context and role"),
    breakers: z
      .array(z.object({ service: z.string(), method: z.string(), state: z.string() }).loose())
      .optional()
      .describe("The circuit breaker of each downstream method called so far"),
  })
  .meta({ id: "Readiness" });

/** Liveness and readiness probes: public, no scopes. */
export const operationRoutes = (readiness: Readiness, breakers?: () => { service: string; method: string; state: string }[]): Route[] => [
  defineRoute({
    method: "get",
    path: "/healthz",
    operationId: "liveness",
    summary: "Liveness: the process answers",
    tag: "operations",
    scopes: [],
    responses: { 200: { description: "Alive", schema: Health } },
    handler: async () => ({ status: 200, body: { status: "ok" } }),
  }),
  defineRoute({
    method: "get",
    path: "/readyz",
    operationId: "readiness",
    summary: "Readiness: every downstream gRPC service reports SERVING (checked at most once a second)",
    tag: "operations",
    scopes: [],
    responses: { 200: { description: "Ready", schema: Ready }, 503: { description: "A downstream is not serving", schema: Ready } },
    async handler() {
      const report = await readiness.check();
      return {
        status: report.ready ? 200 : 503,
        body: { status: report.ready ? "ready" : "not-ready", services: report.services, ...(breakers ? { breakers: breakers() } : {}) },
      };
    },
  }),
];
