import { productDescription, ProductSort, ProductStatus, type Product } from "@bazaar/contracts/catalog/v1";
import { z } from "zod";
import { contextOf } from "../http/requestContext.js";
import { defineRoute, type Route } from "../openapi/defineRoute.js";
import { changePriceBody, createProductBody, renameProductBody } from "../openapi/commandBodies.js";
import { downstreamProblems, problems } from "../openapi/problems.js";
import { cursor, productDataFields } from "../openapi/schemas.js";
import { changeCommandRoute, changeHeaders, commandAnswer, createCommandRoute } from "./commandRoutes.js";
import { sagaNotCompleted } from "./sagaProblem.js";
import { downstreamCursor, idParams, positionIn, readConsistencyOf, readHeaders, tokenHeader, TOKEN_HEADER_DOC, type RouteDeps } from "./routeDeps.js";

const minorUnits = z.coerce.number().int().min(0).max(100_000_000_000);

const SORTS = {
  relevance: ProductSort.PRODUCT_SORT_RELEVANCE,
  name: ProductSort.PRODUCT_SORT_NAME,
  "price-asc": ProductSort.PRODUCT_SORT_PRICE_ASC,
  "price-desc": ProductSort.PRODUCT_SORT_PRICE_DESC,
  newest: ProductSort.PRODUCT_SORT_NEWEST,
} as const;

const STATUSES = { ACTIVE: ProductStatus.PRODUCT_STATUS_ACTIVE, DISCONTINUED: ProductStatus.PRODUCT_STATUS_DISCONTINUED } as const;

const searchQuery = z.strictObject({
  q: z.string().max(500).default(""),
  category: z.string().max(100).optional(),
  minPrice: minorUnits.optional(),
  maxPrice: minorUnits.optional(),
  status: z.enum(["ACTIVE", "DISCONTINUED"]).optional(),
  sort: z.enum(["relevance", "name", "price-asc", "price-desc", "newest"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursor.optional(),
});

const statusName: Record<ProductStatus, string> = {
  [ProductStatus.PRODUCT_STATUS_UNSPECIFIED]: "UNKNOWN",
  [ProductStatus.PRODUCT_STATUS_ACTIVE]: "ACTIVE",
  [ProductStatus.PRODUCT_STATUS_DISCONTINUED]: "DISCONTINUED",
  [ProductStatus.UNRECOGNIZED]: "UNKNOWN",
};

const ProductResource = z
  .object({
    id: z.string(),
    ...productDataFields,
    status: z.enum(["ACTIVE", "DISCONTINUED", "UNKNOWN"]),
    version: z.number().int(),
    asOf: z.string().optional().describe("Present when answered from the event store as of this instant"),
  })
  .meta({ id: "Product" });

/** The product resource as the REST API shows it. */
const toResource = (product: Product | undefined) => {
  if (!product) throw new Error("catalog answered without a product");
  return {
    id: product.productId,
    ...productDescription(product),
    status: statusName[product.status],
    version: product.version,
  };
};

const FacetBucket = z.object({ key: z.string(), count: z.number().int() });
const SearchResult = z
  .object({
    items: z.array(ProductResource),
    total: z.number().int(),
    facets: z.object({
      categories: z.array(FacetBucket),
      statuses: z.array(FacetBucket),
      priceRanges: z.array(z.object({ key: z.string(), from: z.number().int().optional(), to: z.number().int().optional(), count: z.number().int() })),
    }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "ProductSearchResult" });

const HistoryEntry = z.object({
  version: z.number().int(),
  type: z.string().describe("Versioned event type, e.g. catalog.ProductRenamed.v1"),
  recordedAt: z.string(),
  data: z.unknown().describe("The event's data"),
  actor: z.string(),
});
const ProductHistory = z
  .object({ id: z.string(), entries: z.array(HistoryEntry), nextCursor: z.string().nullable().describe("The next page's cursor; null after the last page") })
  .meta({ id: "ProductHistory" });

const historyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursor.optional(),
});

const RenameResult = z
  .object({
    id: z.string(),
    version: z.number().int().optional(),
    sagaId: z.string().optional().describe("Sync propagation: the saga that renamed the product everywhere"),
    status: z.literal("COMPLETED").optional(),
  })
  .meta({ id: "RenameResult" });

export const productRoutes = (deps: RouteDeps): Route[] => [
  createCommandRoute(deps, {
    path: "/v1/products",
    operationId: "createProduct",
    summary: "Create a product",
    tag: "products",
    scopes: ["catalog:write"],
    body: createProductBody,
    answered: "Created",
    located: "The new product",
    create: (id, body, metadata) =>
      deps.catalog.createProduct({ productId: id, ...body }, metadata).then((created) => ({ id: created.productId, position: created.position })),
  }),

  defineRoute({
    method: "post",
    path: "/v1/products/{id}/rename",
    operationId: "renameProduct",
    summary: "Rename a product",
    description:
      "`propagation=async` (default): the catalog renames, ordering learns it from the ProductRenamed event. " +
      "`propagation=sync`: a saga renames in the catalog and then in ordering, renaming back if ordering fails (409 with the saga id).",
    tag: "products",
    scopes: ["catalog:write"],
    params: idParams,
    query: z.strictObject({ propagation: z.enum(["async", "sync"]).default("async") }),
    headers: changeHeaders,
    body: renameProductBody,
    responses: {
      200: { description: "Renamed (sync: everywhere)", schema: RenameResult, headers: TOKEN_HEADER_DOC },
      ...problems(404, 409),
      ...downstreamProblems,
    },
    async handler({ params, query, headers, body, req, res }) {
      const context = contextOf(req, res);
      const expectedVersion = headers["If-Match"];
      if (query.propagation === "async") {
        const { position } = await deps.catalog.renameProduct(
          { productId: params.id, name: body.name, expectedVersion: expectedVersion ?? 0 },
          context.metadata,
        );
        return commandAnswer(deps, res, params.id, position);
      }
      const outcome = await deps.sagas.renameProduct(
        { productId: params.id, name: body.name, ...(expectedVersion === undefined ? {} : { expectedVersion }) },
        { correlationId: context.correlationId, actor: context.actor },
      );
      if (outcome.status !== "COMPLETED")
        return sagaNotCompleted(outcome, { type: "/problems/saga-compensated", compensated: "Rename rolled back", failed: "Rename failed", saga: "rename" });
      const position = positionIn(outcome.result);
      return {
        status: 200,
        headers: tokenHeader(deps.tokens, res, position),
        body: { id: params.id, ...(position ? { version: position.version } : {}), sagaId: outcome.sagaId, status: "COMPLETED" },
      };
    },
  }),

  changeCommandRoute(deps, {
    path: "/v1/products/{id}/change-price",
    operationId: "changeProductPrice",
    summary: "Change a product's price (the currency is fixed per product)",
    tag: "products",
    scopes: ["catalog:write"],
    body: changePriceBody,
    answered: "Changed",
    refusals: [404, 409],
    change: ({ id, expectedVersion, body }, metadata) => deps.catalog.changeProductPrice({ productId: id, price: body.price, expectedVersion }, metadata),
  }),

  changeCommandRoute(deps, {
    path: "/v1/products/{id}/discontinue",
    operationId: "discontinueProduct",
    summary: "Discontinue a product (nothing about it changes afterwards)",
    tag: "products",
    scopes: ["catalog:write"],
    answered: "Discontinued",
    refusals: [404, 409],
    change: ({ id, expectedVersion }, metadata) => deps.catalog.discontinueProduct({ productId: id, expectedVersion }, metadata),
  }),

  defineRoute({
    method: "get",
    path: "/v1/products",
    operationId: "searchProducts",
    summary: "Search products: full text, filters, facets, cursor paging",
    tag: "products",
    scopes: ["read"],
    query: searchQuery,
    responses: { 200: { description: "A page of products", schema: SearchResult }, ...downstreamProblems },
    async handler({ query, req, res }) {
      const result = await deps.catalog.searchProducts(
        {
          query: query.q,
          category: query.category ?? "",
          minPrice: query.minPrice ?? 0,
          maxPrice: query.maxPrice ?? 0,
          status: query.status ? STATUSES[query.status] : ProductStatus.PRODUCT_STATUS_UNSPECIFIED,
          sort: query.sort ? SORTS[query.sort] : ProductSort.PRODUCT_SORT_UNSPECIFIED,
          limit: query.limit,
          cursor: downstreamCursor(deps, query.cursor),
        },
        contextOf(req, res).metadata,
      );
      return {
        status: 200,
        body: {
          items: result.items.map(toResource),
          total: result.total,
          facets: {
            categories: result.categories,
            statuses: result.statuses,
            priceRanges: result.priceRanges.map(({ key, from, to, count }) => ({ key, ...(from ? { from } : {}), ...(to ? { to } : {}), count })),
          },
          nextCursor: deps.cursors.seal(result.nextCursor),
        },
      };
    },
  }),

  defineRoute({
    method: "get",
    path: "/v1/products/{id}",
    operationId: "getProduct",
    summary: "A product from the read model, or as it was at `asOf` from the event store",
    tag: "products",
    scopes: ["read"],
    params: idParams,
    query: z.strictObject({
      asOf: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time with a zone, such as 2026-01-31T12:00:00Z" }).optional(),
    }),
    headers: readHeaders,
    responses: {
      200: {
        description: "The product",
        schema: ProductResource,
        headers: { "X-Consistency": { description: "When a token was presented: `consistent` if the answer reflects it, `stale` if the wait ran out" } },
      },
      ...problems(404),
      ...downstreamProblems,
    },
    async handler({ params, query, headers, req, res }) {
      const { metadata } = contextOf(req, res);
      if (query.asOf) {
        // The event store is the source of truth: no read model lag to wait for.
        const { product } = await deps.catalog.getProductAsOf({ productId: params.id, asOf: query.asOf }, metadata);
        return { status: 200, body: { ...toResource(product), asOf: query.asOf } };
      }
      const read = readConsistencyOf(deps, res, headers);
      const { product, stale } = await deps.catalog.getProduct({ productId: params.id, consistency: read.consistency }, metadata);
      return { status: 200, headers: read.header(stale), body: toResource(product) };
    },
  }),

  defineRoute({
    method: "get",
    path: "/v1/products/{id}/history",
    operationId: "getProductHistory",
    summary: "The product's audit trail, a page at a time: every event with version, type, time, data and actor",
    tag: "products",
    scopes: ["read"],
    params: idParams,
    query: historyQuery,
    responses: { 200: { description: "A page of events, oldest first", schema: ProductHistory }, ...problems(404), ...downstreamProblems },
    async handler({ params, query, req, res }) {
      const { entries, nextCursor } = await deps.catalog.getProductHistory(
        { productId: params.id, limit: query.limit, cursor: downstreamCursor(deps, query.cursor) },
        contextOf(req, res).metadata,
      );
      return {
        status: 200,
        body: {
          id: params.id,
          entries: entries.map((entry) => ({
            version: entry.version,
            type: entry.type,
            recordedAt: entry.recordedAt,
            data: JSON.parse(entry.data) as unknown,
            actor: entry.actor,
          })),
          nextCursor: deps.cursors.seal(nextCursor),
        },
      };
    },
  }),
];
