import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../../test/fakes/testGateway.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

interface Document {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; security: { bearer: string[] }[]; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }
    >
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> };
}

const fetchDocument = async () => {
  const res = await gw.get("/openapi.json", {});
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
};

/** Every route of DESIGN §5 the gateway serves through defineRoute. */
const ROUTES = [
  ["post", "/v1/products", "catalog:write"],
  ["get", "/v1/products", "read"],
  ["post", "/v1/products/{id}/rename", "catalog:write"],
  ["post", "/v1/products/{id}/change-price", "catalog:write"],
  ["post", "/v1/products/{id}/discontinue", "catalog:write"],
  ["get", "/v1/products/{id}", "read"],
  ["get", "/v1/products/{id}/history", "read"],
  ["post", "/v1/inventory/{productId}/restock", "inventory:write"],
  ["get", "/v1/inventory/{productId}", "read"],
  ["post", "/v1/customers", "customers:write staff"],
  ["post", "/v1/customers/{id}/change-address", "customers:write"],
  ["get", "/v1/customers/{id}", "read"],
  ["get", "/v1/customers/{id}/orders", "read"],
  ["post", "/v1/orders", "orders:write"],
  ["post", "/v1/orders/{id}/cancel", "orders:write"],
  ["get", "/v1/orders/{id}", "read"],
  ["get", "/v1/sagas/{id}", "read"],
  ["get", "/v1/sagas", "read staff"],
  ["get", "/healthz", undefined],
  ["get", "/readyz", undefined],
] as const;

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every route with its scopes, and nothing else", async () => {
    const { paths } = await fetchDocument();
    const listed = Object.entries(paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(listed.sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
    for (const [method, path, scope] of ROUTES) {
      const operation = paths[path]?.[method];
      expect(operation?.security, `${method} ${path}`).toEqual(scope ? [{ bearer: scope.split(" ") }] : []);
    }
  });

  it("shares schemas through components: Money, Problem (RFC 9457), the bearer scheme", async () => {
    const document = await fetchDocument();
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(["Money", "Problem", "FieldViolation", "Product", "Order", "Address"]));
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const notFound = document.paths["/v1/products/{id}"]?.get?.responses["404"];
    expect(notFound?.content?.["application/problem+json"]?.schema.$ref).toBe("#/components/schemas/Problem");
    expect(JSON.stringify(document)).not.toContain("$defs");
  });
});

describe("/docs", () => {
  it("answers an HTML page that loads swagger-ui pointed at /openapi.json", async () => {
    const page = await gw.get("/docs", {});
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("swagger-ui-bundle.js");
    const init = await (await gw.get("/docs/init.js", {})).text();
    expect(init).toContain('"/openapi.json"');
    const bundle = await gw.get("/docs/swagger-ui-bundle.js", {});
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toMatch(/javascript/);
  });
});
