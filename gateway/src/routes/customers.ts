import { z } from "zod";
import { contextOf } from "../http/requestContext.js";
import { requireActsFor } from "../edge/ownership.js";
import { defineRoute, type Route } from "../openapi/defineRoute.js";
import { changeAddressBody, registerCustomerBody } from "../openapi/commandBodies.js";
import { downstreamProblems, problems } from "../openapi/problems.js";
import { cursor } from "../openapi/schemas.js";
import { OrderResource, toOrderResource } from "./orderResource.js";
import { changeCommandRoute, createCommandRoute } from "./commandRoutes.js";
import { downstreamCursor, idParams, readConsistencyOf, readHeaders, type RouteDeps } from "./routeDeps.js";

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
  createCommandRoute(deps, {
    path: "/v1/customers",
    operationId: "registerCustomer",
    summary: "Register a customer (emails are unique, case-insensitively); staff only",
    tag: "customers",
    scopes: ["customers:write", "staff"],
    body: registerCustomerBody,
    answered: "Registered",
    located: "The new customer",
    create: (id, body, metadata) =>
      deps.customers
        .registerCustomer({ customerId: id, ...body }, metadata)
        .then((registered) => ({ id: registered.customerId, position: registered.position })),
  }),

  changeCommandRoute(deps, {
    path: "/v1/customers/{id}/change-address",
    operationId: "changeCustomerAddress",
    summary: "Change a customer's address (the token's own customer, or staff)",
    tag: "customers",
    scopes: ["customers:write"],
    authorizeInput: ({ params, res }) => requireActsFor(res, params.id),
    body: changeAddressBody,
    answered: "Changed",
    refusals: [403, 404, 409],
    change: ({ id, expectedVersion, body }, metadata) =>
      deps.customers.changeCustomerAddress({ customerId: id, address: body.address, expectedVersion }, metadata),
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
    headers: readHeaders,
    responses: { 200: { description: "The customer", schema: CustomerResource }, ...problems(403, 404), ...downstreamProblems },
    async handler({ params, headers, req, res }) {
      const read = readConsistencyOf(deps, res, headers);
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
      const cursor = downstreamCursor(deps, query.cursor);
      const page = await deps.ordering.listCustomerOrders({ customerId: params.id, limit: query.limit, cursor }, contextOf(req, res).metadata);
      return { status: 200, body: { items: page.orders.map(toOrderResource), total: page.total, nextCursor: deps.cursors.seal(page.nextCursor) } };
    },
  }),
];
