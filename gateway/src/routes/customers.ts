import { z } from "zod";
import { readConsistency } from "../http/readConsistency.js";
import { contextOf } from "../http/requestContext.js";
import { requireActsFor } from "../edge/ownership.js";
import { resourceIdFor } from "../edge/resourceIds.js";
import { defineRoute, type Route } from "../openapi/defineRoute.js";
import { changeAddressBody, registerCustomerBody } from "../openapi/commandBodies.js";
import { downstreamProblems, problems } from "../openapi/problems.js";
import { CommandAccepted, consistencyTokenHeader, cursor, ifMatch, uuid } from "../openapi/schemas.js";
import { OrderResource, toOrderResource } from "./orderResource.js";
import { holderOf, tokenHeader, TOKEN_HEADER_DOC, type RouteDeps } from "./routeDeps.js";

const idParams = z.strictObject({ id: uuid });

const CustomerResource = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    address: z.object({ line1: z.string(), line2: z.string(), postalCode: z.string(), city: z.string(), country: z.string() }).optional(),
    version: z.number().int(),
  })
  .meta({ id: "Customer" });

const OrderHistory = z.object({ items: z.array(OrderResource), total: z.number().int(), nextCursor: z.string().nullable() }).meta({ id: "OrderHistory" });

export const customerRoutes = (deps: RouteDeps): Route[] => [
  defineRoute({
    method: "post",
    path: "/v1/customers",
    operationId: "registerCustomer",
    summary: "Register a customer (emails are unique, case-insensitively); staff only",
    tag: "customers",
    scopes: ["customers:write", "staff"],
    body: registerCustomerBody,
    responses: {
      201: { description: "Registered", schema: CommandAccepted, headers: { Location: { description: "The new customer" }, ...TOKEN_HEADER_DOC } },
      ...problems(409),
      ...downstreamProblems,
    },
    async handler({ body, req, res }) {
      const registered = await deps.customers.registerCustomer({ customerId: resourceIdFor(req, res), ...body }, contextOf(req, res).metadata);
      return {
        status: 201,
        headers: { Location: `/v1/customers/${registered.customerId}`, ...tokenHeader(deps.tokens, res, registered.position) },
        body: { id: registered.customerId, version: registered.position?.version ?? 0 },
      };
    },
  }),

  defineRoute({
    method: "post",
    path: "/v1/customers/{id}/change-address",
    operationId: "changeCustomerAddress",
    summary: "Change a customer's address (the token's own customer, or staff)",
    tag: "customers",
    scopes: ["customers:write"],
    params: idParams,
    authorizeInput: ({ params, res }) => requireActsFor(res, params.id),
    headers: z.object({ "If-Match": ifMatch.optional() }),
    body: changeAddressBody,
    responses: { 200: { description: "Changed", schema: CommandAccepted, headers: TOKEN_HEADER_DOC }, ...problems(403, 404, 409), ...downstreamProblems },
    async handler({ params, headers, body, req, res }) {
      const { position } = await deps.customers.changeCustomerAddress(
        { customerId: params.id, address: body.address, expectedVersion: headers["If-Match"] ?? 0 },
        contextOf(req, res).metadata,
      );
      return { status: 200, headers: tokenHeader(deps.tokens, res, position), body: { id: params.id, version: position?.version ?? 0 } };
    },
  }),

  defineRoute({
    method: "get",
    path: "/v1/customers/{id}",
    operationId: "getCustomer",
    summary: "A customer's profile (the token's own customer, or staff)",
    tag: "customers",
    scopes: ["read"],
    params: idParams,
    authorizeInput: ({ params, res }) => requireActsFor(res, params.id),
    headers: z.object({ "X-Consistency-Token": consistencyTokenHeader.optional() }),
    responses: { 200: { description: "The customer", schema: CustomerResource }, ...problems(403, 404), ...downstreamProblems },
    async handler({ params, headers, req, res }) {
      const read = readConsistency(deps.tokens, holderOf(res), headers["X-Consistency-Token"], deps.consistencyWaitMs);
      const { customer, stale } = await deps.customers.getCustomer({ customerId: params.id, consistency: read.consistency }, contextOf(req, res).metadata);
      if (!customer) throw new Error("customer answered without a customer");
      return {
        status: 200,
        headers: read.header(stale),
        body: { id: customer.customerId, name: customer.name, email: customer.email, address: customer.address, version: customer.version },
      };
    },
  }),

  defineRoute({
    method: "get",
    path: "/v1/customers/{id}/orders",
    operationId: "listCustomerOrders",
    summary: "A customer's order history, newest first, with current product names (the token's own customer, or staff)",
    tag: "orders",
    scopes: ["read"],
    params: idParams,
    authorizeInput: ({ params, res }) => requireActsFor(res, params.id),
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: cursor.optional() }),
    responses: { 200: { description: "A page of orders", schema: OrderHistory }, ...problems(403), ...downstreamProblems },
    async handler({ params, query, req, res }) {
      const cursor = query.cursor === undefined ? "" : deps.cursors.open(query.cursor);
      const page = await deps.ordering.listCustomerOrders({ customerId: params.id, limit: query.limit, cursor }, contextOf(req, res).metadata);
      return { status: 200, body: { items: page.orders.map(toOrderResource), total: page.total, nextCursor: deps.cursors.seal(page.nextCursor) } };
    },
  }),
];
