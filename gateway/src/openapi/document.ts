import { z } from "zod";
import type { ResponseSpec, Route } from "./defineRoute.js";
import { problems } from "./problems.js";
import { Problem } from "./schemas.js";

type JsonSchema = Record<string, unknown>;

/** Converts one schema; shared ones (with an `id`) are hoisted into `components.schemas`. */
const converter =
  (components: Record<string, JsonSchema>) =>
  (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
    const {
      $schema: _dialect,
      $defs,
      ...json
    } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [id, def] of Object.entries($defs ?? {})) components[id] = rewriteRefs(def) as JsonSchema;
    // The root itself may be a shared schema: reference it rather than inline it twice.
    const id = z.globalRegistry.get(schema)?.id;
    if (typeof id === "string") {
      components[id] = rewriteRefs(json) as JsonSchema;
      return { $ref: `#/components/schemas/${id}` };
    }
    return rewriteRefs(json) as JsonSchema;
  };

const rewriteRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === "$ref" && typeof inner === "string" ? inner.replace(/^#\/\$defs\//, "#/components/schemas/") : rewriteRefs(inner),
      ]),
    );
  }
  return value;
};

const propertiesOf = (schema: JsonSchema) => ({
  properties: (schema.properties ?? {}) as Record<string, JsonSchema>,
  required: new Set((schema.required ?? []) as string[]),
});

/** OpenAPI parameters from an object schema (path, query or header). */
const parameters = (convert: ReturnType<typeof converter>, schema: z.ZodType | undefined, where: "path" | "query" | "header") => {
  if (!schema) return [];
  const { properties, required } = propertiesOf(convert(schema, "input"));
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
};

export interface DocumentInfo {
  title: string;
  version: string;
  description?: string;
}

/** The OpenAPI 3.1 document of the given routes, generated from the very schemas they validate with. */
export const openApiDocument = (routes: readonly Route[], info: DocumentInfo) => {
  const components: Record<string, JsonSchema> = {};
  const convert = converter(components);
  const problemRef = convert(Problem, "output");
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    // What the edge itself may answer: authorization for scoped routes, the body size limit.
    const edge: Record<number, ResponseSpec> = { ...(route.scopes.length > 0 ? problems(401, 403) : {}), ...(route.body ? problems(413) : {}) };
    const responses = Object.fromEntries(
      Object.entries({ ...route.responses, ...edge }).map(([status, response]) => {
        const headers = Object.fromEntries(
          Object.entries(response.headers ?? {}).map(([name, header]) => [
            name,
            { description: header.description, schema: header.schema ? convert(header.schema, "output") : { type: "string" } },
          ]),
        );
        const content = response.problem
          ? { "application/problem+json": { schema: problemRef } }
          : response.schema
            ? { "application/json": { schema: convert(response.schema, "output") } }
            : undefined;
        return [status, { description: response.description, ...(Object.keys(headers).length > 0 ? { headers } : {}), ...(content ? { content } : {}) }];
      }),
    );
    const operation = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.scopes.length > 0 ? { security: [{ bearer: [...route.scopes] }] } : { security: [] }),
      parameters: [...parameters(convert, route.params, "path"), ...parameters(convert, route.query, "query"), ...parameters(convert, route.headers, "header")],
      ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: convert(route.body, "input") } } } } : {}),
      responses,
    };
    paths[route.path] = { ...paths[route.path], [route.method]: operation };
  }
  return {
    openapi: "3.1.0",
    info,
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A JWT with `sub`, `exp` and `iat`, whose `scope` claim (space-separated) carries the operation's scopes: catalog:write, inventory:write, orders:write, customers:write, read, staff. " +
            "Customer data (customers, their orders, order sagas) is also authorized per object: an end user's token carries `customer_id`, the customer it acts for, and reads and changes only that customer and its orders " +
            "(403 when the request names another customer, 404 for another customer's order or saga, as if it did not exist); a token with the `staff` scope acts for every customer, and only staff register customers.",
        },
      },
    },
  };
};
