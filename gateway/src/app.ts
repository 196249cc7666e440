import type { Logger } from "@bazaar/runtime";
import express, { type Express } from "express";
import type { CatalogClient } from "./clients/catalogClient.js";
import { problemHandler, sendProblem } from "./http/problem.js";
import { productRoutes } from "./routes/products.js";

export interface GatewayDeps {
  catalog: CatalogClient;
  logger: Logger;
  bodyLimit: string;
}

/** The public REST API. Every error leaves as application/problem+json. */
export const createApp = (deps: GatewayDeps): Express => {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(express.json({ limit: deps.bodyLimit, strict: true, type: ["application/json", "application/*+json"] }));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use("/v1/products", productRoutes(deps.catalog));

  app.use((req, res) => {
    sendProblem(res, { type: "/problems/not-found", title: "Not found", status: 404, detail: `no route for ${req.method} ${req.path}`, instance: req.originalUrl });
  });
  app.use(problemHandler(deps.logger));
  return app;
};
