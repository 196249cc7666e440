import { z } from "zod";
import { contextOf } from "../http/requestContext.js";
import { defineRoute, type Route } from "../openapi/defineRoute.js";
import { restockBody } from "../openapi/commandBodies.js";
import { downstreamProblems } from "../openapi/problems.js";
import { CommandAccepted, uuid } from "../openapi/schemas.js";
import { commandAnswer } from "./commandRoutes.js";
import { readConsistencyOf, readHeaders, TOKEN_HEADER_DOC, type RouteDeps } from "./routeDeps.js";

const productParams = z.strictObject({ productId: uuid });

const StockLevel = z
  .object({
    productId: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int().describe("onHand - reserved"),
    version: z.number().int(),
  })
  .meta({ id: "StockLevel" });

export const inventoryRoutes = (deps: RouteDeps): Route[] => [
  defineRoute({
    method: "post",
    path: "/v1/inventory/{productId}/restock",
    operationId: "restock",
    summary: "Add stock of a product",
    tag: "inventory",
    scopes: ["inventory:write"],
    params: productParams,
    body: restockBody,
    responses: { 200: { description: "Restocked", schema: CommandAccepted, headers: TOKEN_HEADER_DOC }, ...downstreamProblems },
    async handler({ params, body, req, res }) {
      const { position } = await deps.inventory.restock({ productId: params.productId, quantity: body.quantity }, contextOf(req, res).metadata);
      return commandAnswer(deps, res, params.productId, position);
    },
  }),

  defineRoute({
    method: "get",
    path: "/v1/inventory/{productId}",
    operationId: "getStockLevel",
    summary: "Stock of a product: on hand, reserved, available (zero for a product never restocked)",
    tag: "inventory",
    scopes: ["read"],
    params: productParams,
    headers: readHeaders,
    responses: { 200: { description: "The stock level", schema: StockLevel }, ...downstreamProblems },
    async handler({ params, headers, req, res }) {
      const read = readConsistencyOf(deps, res, headers);
      const { stock, stale } = await deps.inventory.getStockLevel({ productId: params.productId, consistency: read.consistency }, contextOf(req, res).metadata);
      return {
        status: 200,
        headers: read.header(stale),
        body: {
          productId: params.productId,
          onHand: stock?.onHand ?? 0,
          reserved: stock?.reserved ?? 0,
          available: stock?.available ?? 0,
          version: stock?.version ?? 0,
        },
      };
    },
  }),
];
