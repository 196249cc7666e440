import express from "express";
import type { Server } from "node:http";
import type { Registry } from "prom-client";
import { metricsHandler } from "../resilience/metricsHandler.js";

/**
 * `/metrics` on a listener of its own, loopback unless told: what the gateway measures (routes,
 * breakers, sagas) is for the scraper, not for the public port, and a scrape flood there cannot
 * compete with the API. Resolves once listening; `port` 0 picks a free one.
 */
export const listenForMetrics = async (registry: Registry, address: { host: string; port: number }): Promise<{ server: Server; url: string }> => {
  const app = express();
  app.disable("x-powered-by");
  app.get("/metrics", metricsHandler(registry));
  app.use((_req, res) => {
    res.status(404).end();
  });
  const server = app.listen(address.port, address.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const bound = server.address();
  const port = typeof bound === "object" && bound ? bound.port : address.port;
  return { server, url: `http://${address.host}:${port}/metrics` };
};
