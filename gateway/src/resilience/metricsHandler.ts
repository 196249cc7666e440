import type { RequestHandler } from "express";
import type { Registry } from "prom-client";

/** `GET /metrics`: the registry in the Prometheus text format. */
export const metricsHandler =
  (registry: Registry): RequestHandler =>
  (_req, res, next) => {
    registry.metrics().then((body) => {
      res.setHeader("Content-Type", registry.contentType);
      res.send(body);
    }, next);
  };
