import { z } from "zod";
import { defineRoute, type Route } from "../openapi/defineRoute.js";
import { problems } from "../openapi/problems.js";
import { NotFoundError } from "@bazaar/core";
import { actsForEveryone, requireOwnerFound } from "../edge/ownership.js";
import { contextOf } from "../http/requestContext.js";
import type { RouteDeps } from "./routeDeps.js";
import { SagaView } from "./sagaResources.js";

export const sagaRoutes = (deps: RouteDeps): Route[] => [
  defineRoute({
    method: "get",
    path: "/v1/sagas/{id}",
    operationId: "getSaga",
    summary: "A saga's status and step log (steps and compensations, in order); others than staff see only the saga of their own sync order",
    tag: "sagas",
    scopes: ["read"],
    params: z.strictObject({
      id: z
        .string()
        .min(1)
        .max(100)
        .regex(/^[A-Za-z0-9_-]+$/, "must be a saga id"),
    }),
    responses: { 200: { description: "The saga", schema: SagaView }, ...problems(400, 404) },
    async handler({ params, req, res }) {
      // A sync order's saga id is its order id: an end user may follow the saga of their own order.
      if (!actsForEveryone(res)) {
        const order = await deps.ordering.getOrder({ orderId: params.id, consistency: undefined }, contextOf(req, res).metadata).then(
          (found) => found.order,
          (error: unknown) => {
            if (error instanceof NotFoundError) return undefined;
            throw error;
          },
        );
        requireOwnerFound(res, order?.customerId, `saga ${params.id}`);
      }
      return { status: 200, body: await deps.sagas.get(params.id) };
    },
  }),
];
