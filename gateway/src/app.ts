import type { Logger } from "@bazaar/runtime";
import express, { type Express, type RequestHandler } from "express";
import type { Registry } from "prom-client";
import type { CatalogClient } from "./clients/catalogClient.js";
import type { CustomerClient } from "./clients/customerClient.js";
import type { InventoryClient } from "./clients/inventoryClient.js";
import type { OrderingClient } from "./clients/orderingClient.js";
import type { PipelineState } from "./clients/pipelineState.js";
import type { Readiness } from "./clients/readiness.js";
import type { ConsistencyTokens } from "./http/consistencyTokens.js";
import type { CursorSeal } from "./http/signedCursors.js";
import { etagOnReadsOnly } from "./http/etagOnReads.js";
import { httpServerSpans, resumeTraceContext } from "./http/httpSpans.js";
import { jsonBodyParser } from "./http/jsonBody.js";
import { problemHandler, sendProblem } from "./http/problem.js";
import { requestBudget } from "./http/requestBudget.js";
import { routeMetrics } from "./http/routeMetrics.js";
import { weakETag } from "./http/weakETag.js";
import type { Route } from "./openapi/defineRoute.js";
import { docsRoutes } from "./openapi/docs.js";
import { openApiDocument } from "./openapi/document.js";
import { routerFor } from "./openapi/router.js";
import { customerRoutes } from "./routes/customers.js";
import { inventoryRoutes } from "./routes/inventory.js";
import { operationRoutes } from "./routes/operations.js";
import { orderRoutes } from "./routes/orders.js";
import { productRoutes } from "./routes/products.js";
import { pipelineRoutes } from "./routes/pipeline.js";
import { sagaListRoutes } from "./routes/sagaList.js";
import { sagaRoutes } from "./routes/sagas.js";
import type { SagaCoordinator } from "./sagas/sagaCoordinator.js";

export interface GatewayDeps {
  catalog: CatalogClient;
  inventory: InventoryClient;
  ordering: OrderingClient;
  customers: CustomerClient;
  sagas: SagaCoordinator;
  readiness: Readiness;
  tokens: ConsistencyTokens;
  cursors: CursorSeal;
  consistencyWaitMs: number;
  /** Per route: a handler that lets the request through only if the caller holds every scope. */
  authorize: (scopes: string[]) => RequestHandler;
  /** Circuit breaker states for `/readyz`'s details. */
  breakers?: () => { service: string; method: string; state: string }[];
  /**
   * The edge: security headers, the JSON parser with its limits, for /v1 a per-IP rate limit,
   * authentication and the per-principal rate limit, and what guards every command (Idempotency-Key). Without it (unit tests of routes),
   * only a JSON parser.
   */
  edge?: {
    headers: RequestHandler;
    json: RequestHandler;
    ipRateLimit: RequestHandler;
    authenticate: RequestHandler;
    rateLimit: RequestHandler;
    commands: RequestHandler[];
  };
  logger: Logger;
  bodyLimit: string;
  /** One time budget per /v1 request, shared by its downstream calls (their gRPC deadlines). */
  requestBudgetMs?: number;
  /** The web console at /console (http/console.ts); none in unit tests of routes. */
  console?: RequestHandler;
  /** Projectors' and reactions' lag and dead letters, from JetStream (clients/pipelineState.ts). */
  pipeline?: PipelineState;
  /** Where the per-route request counters and durations go (http/routeMetrics.ts); none unmeasured. */
  metrics?: Registry;
}

/** Every route of the public API: what is served and what `/openapi.json` documents are one list. */
export const apiRoutes = (deps: GatewayDeps): Route[] => [
  ...operationRoutes(deps.readiness, deps.breakers),
  ...productRoutes(deps),
  ...inventoryRoutes(deps),
  ...customerRoutes(deps),
  ...orderRoutes(deps),
  ...sagaRoutes(deps),
  ...sagaListRoutes(deps),
  ...(deps.pipeline ? pipelineRoutes(deps.pipeline) : []),
];

/** The public REST API. Every error leaves as application/problem+json. */
export const createApp = (deps: GatewayDeps): Express => {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.set("etag", weakETag);
  app.use(etagOnReadsOnly(app));
  const routes = apiRoutes(deps);
  if (deps.metrics) app.use(routeMetrics(deps.metrics, routes));
  app.use(httpServerSpans);
  if (deps.edge) app.use(deps.edge.headers);
  app.use(deps.edge?.json ?? jsonBodyParser(deps.bodyLimit));
  // The body parser's callbacks ran outside the request's trace context: back into it.
  app.use(resumeTraceContext);

  app.use(docsRoutes(openApiDocument(routes, { title: "Bazaar API", version: "1.0.0", description: "The public REST API of the Bazaar commerce platform" })));
  if (deps.console) app.use("/console", deps.console);
  if (deps.requestBudgetMs) app.use("/v1", requestBudget(deps.requestBudgetMs));
  // The IP limit comes before authentication: a flood of bad tokens is limited too.
  if (deps.edge) app.use("/v1", deps.edge.ipRateLimit, deps.edge.authenticate, deps.edge.rateLimit);
  app.use(routerFor(routes, deps.authorize, deps.edge?.commands));

  app.use((req, res) => {
    sendProblem(res, {
      type: "/problems/not-found",
      title: "Not found",
      status: 404,
      detail: `no route for ${req.method} ${req.path}`,
      instance: req.originalUrl,
    });
  });
  app.use(problemHandler(deps.logger));
  return app;
};
