import { OrderFlow } from "@bazaar/contracts/ordering/v1";
import { NotFoundError } from "@bazaar/core";
import type { Metadata } from "@grpc/grpc-js";
import { z } from "zod";
import { contextOf } from "../http/requestContext.js";
import { actsForEveryone, requireActsFor, requireOwnerFound } from "../edge/ownership.js";
import { resourceIdFor } from "../edge/resourceIds.js";
import { defineRoute, type Route } from "../openapi/defineRoute.js";
import { cancelOrderBody, placeOrderBody } from "../openapi/commandBodies.js";
import { downstreamProblems, problems } from "../openapi/problems.js";
import { CommandAccepted } from "../openapi/schemas.js";
import { OrderDetailsResource, OrderResource, toOrderResource, toProductDetails } from "./orderResource.js";
import { commandAnswer } from "./commandRoutes.js";
import { idParams, positionIn, readConsistencyOf, readHeaders, tokenHeader, TOKEN_HEADER_DOC, type RouteDeps } from "./routeDeps.js";
import { sagaNotCompleted } from "./sagaProblem.js";

const OrderPlaced = z
  .object({
    id: z.string(),
    status: z.enum(["PENDING", "CONFIRMED"]),
    version: z.number().int().optional(),
    sagaId: z.string().optional().describe("flow=sync: the saga that placed it"),
  })
  .meta({ id: "OrderPlaced" });

/** The Warning header of a degraded hybrid read (RFC 7234 warn-code 199, "miscellaneous"). */
const warning = (reason: string) => `199 - "product details unavailable: ${reason.replace(/["\\\r\n]/g, " ")}"`;

/** Who placed an order, if the order is known; a NotFoundError from ordering reads as unknown. */
const ownerOf =
  (deps: RouteDeps) =>
  async (orderId: string, metadata: Metadata): Promise<string | undefined> => {
    try {
      return (await deps.ordering.getOrder({ orderId, consistency: undefined }, metadata)).order?.customerId;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };

export const orderRoutes = (deps: RouteDeps): Route[] => {
  const ownerOfOrder = ownerOf(deps);
  return [
    defineRoute({
      method: "post",
      path: "/v1/orders",
      operationId: "placeOrder",
      summary: "Place an order",
      description:
        "`flow=async` (default): 202 PENDING, stock is reserved by choreography (poll the order, or present the consistency token). " +
        "`flow=sync`: the gateway's saga reserves stock and confirms before answering: 201 CONFIRMED, or 409 REJECTED with the saga id.",
      tag: "orders",
      scopes: ["orders:write"],
      query: z.strictObject({ flow: z.enum(["async", "sync"]).default("async") }),
      body: placeOrderBody,
      authorizeInput: ({ body, res }) => requireActsFor(res, body.customerId),
      responses: {
        201: { description: "flow=sync: confirmed", schema: OrderPlaced, headers: { Location: { description: "The order" }, ...TOKEN_HEADER_DOC } },
        202: { description: "flow=async: accepted, PENDING", schema: OrderPlaced, headers: { Location: { description: "The order" }, ...TOKEN_HEADER_DOC } },
        ...problems(409),
        ...downstreamProblems,
      },
      async handler({ query, body, req, res }) {
        const context = contextOf(req, res);
        // A retried placement addresses the same order: async, ordering takes the repeat as done;
        // sync, the order id is the saga's id, so the retry finds the saga instead of starting one.
        const orderId = resourceIdFor(req, res);
        const location = { Location: `/v1/orders/${orderId}` };
        if (query.flow === "async") {
          const placed = await deps.ordering.placeOrder(
            { orderId, customerId: body.customerId, lines: body.lines, flow: OrderFlow.ORDER_FLOW_ASYNC },
            context.metadata,
          );
          return {
            status: 202,
            headers: { ...location, ...tokenHeader(deps.tokens, res, placed.position) },
            body: { id: orderId, status: "PENDING", version: placed.position?.version ?? 0 },
          };
        }
        const outcome = await deps.sagas.placeOrder(
          { orderId, customerId: body.customerId, lines: body.lines },
          { correlationId: context.correlationId, actor: context.actor },
        );
        if (outcome.status === "COMPLETED")
          return {
            status: 201,
            headers: { ...location, ...tokenHeader(deps.tokens, res, positionIn(outcome.result)) },
            body: { id: orderId, status: "CONFIRMED", sagaId: outcome.sagaId },
          };
        return sagaNotCompleted(
          outcome,
          { type: "/problems/order-rejected", compensated: "Order rejected", failed: "Order failed", saga: "order" },
          { orderId, orderStatus: "REJECTED" },
        );
      },
    }),

    defineRoute({
      method: "post",
      path: "/v1/orders/{id}/cancel",
      operationId: "cancelOrder",
      summary: "Cancel an order (its stock is released); 404 for another customer's order",
      tag: "orders",
      scopes: ["orders:write"],
      params: idParams,
      body: cancelOrderBody,
      responses: { 200: { description: "Cancelled", schema: CommandAccepted, headers: TOKEN_HEADER_DOC }, ...problems(404, 409), ...downstreamProblems },
      async handler({ params, body, req, res }) {
        const { metadata } = contextOf(req, res);
        // The owner is learned from the order history's read model: an order placed a moment ago
        // may not be there yet, and then only staff can cancel it (404 until it is).
        if (!actsForEveryone(res)) requireOwnerFound(res, await ownerOfOrder(params.id, metadata), `order ${params.id}`);
        const { position } = await deps.ordering.cancelOrder({ orderId: params.id, reason: body.reason }, metadata);
        return commandAnswer(deps, res, params.id, position);
      },
    }),

    defineRoute({
      method: "get",
      path: "/v1/orders/{id}",
      operationId: "getOrder",
      summary: "An order; `include=productDetails` adds catalog data fetched at read time (the hybrid path); 404 for another customer's order",
      description:
        "With `include=productDetails`, product details come from the catalog behind a circuit breaker; when it cannot be asked the answer is still 200, " +
        'with `degraded: true`, `degradedReason` and a `Warning: 199 - "product details unavailable: <reason>"` header.',
      tag: "orders",
      scopes: ["read"],
      params: idParams,
      query: z.strictObject({ include: z.enum(["productDetails"]).optional() }),
      headers: readHeaders,
      responses: {
        200: {
          description: "The order (with details when asked)",
          schema: z.union([OrderDetailsResource, OrderResource]),
          headers: { Warning: { description: "Present when degraded" }, "X-Consistency": { description: "When a token was presented: consistent or stale" } },
        },
        ...problems(404),
        ...downstreamProblems,
      },
      async handler({ params, query, headers, req, res }) {
        const { metadata } = contextOf(req, res);
        const read = readConsistencyOf(deps, res, headers);
        if (query.include === "productDetails") {
          const details = await deps.ordering.getOrderDetails({ orderId: params.id, consistency: read.consistency }, metadata);
          requireOwnerFound(res, details.order?.customerId, `order ${params.id}`);
          return {
            status: 200,
            headers: { ...read.header(details.stale), ...(details.degraded ? { Warning: warning(details.degradedReason || "unknown") } : {}) },
            body: {
              ...toOrderResource(details.order),
              products: Object.fromEntries(Object.entries(details.products).map(([id, product]) => [id, toProductDetails(product)])),
              degraded: details.degraded,
              ...(details.degraded ? { degradedReason: details.degradedReason } : {}),
            },
          };
        }
        const { order, stale } = await deps.ordering.getOrder({ orderId: params.id, consistency: read.consistency }, metadata);
        requireOwnerFound(res, order?.customerId, `order ${params.id}`);
        return { status: 200, headers: read.header(stale), body: toOrderResource(order) };
      },
    }),
  ];
};
