import { z } from "zod";
import { defineRoute, type Route } from "../openapi/defineRoute.js";
import { problems } from "../openapi/problems.js";
import type { RouteDeps } from "./routeDeps.js";
import { SagaSummary } from "./sagaResources.js";

/** The sagas the gateway has not finished, and those that failed: what an operator watches (the console's saga lists). */
export const sagaListRoutes = (deps: Pick<RouteDeps, "sagas">): Route[] => [
  defineRoute({
    method: "get",
    path: "/v1/sagas",
    operationId: "listOpenSagas",
    summary:
      "Sagas still running or compensating (status=open), or ended FAILED — an undo refused for good, for an operator to settle (status=failed); oldest first; staff only",
    tag: "sagas",
    scopes: ["read", "staff"],
    query: z.strictObject({ status: z.enum(["open", "failed"]).default("open"), limit: z.coerce.number().int().min(1).max(200).default(50) }),
    responses: { 200: { description: "Open sagas", schema: z.object({ items: z.array(SagaSummary) }).meta({ id: "OpenSagas" }) }, ...problems(400) },
    async handler({ query }) {
      const open = await (query.status === "failed" ? deps.sagas.failed(query.limit) : deps.sagas.open(query.limit));
      return {
        status: 200,
        body: {
          items: open.map((saga) => ({
            sagaId: saga.sagaId,
            type: saga.type,
            status: saga.status,
            ...(saga.reason ? { reason: saga.reason } : {}),
            startedAt: saga.startedAt,
            updatedAt: saga.updatedAt,
            steps: saga.steps.length,
          })),
        },
      };
    },
  }),
];
