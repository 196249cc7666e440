import express from "express";
import type { AddressInfo } from "node:net";
import { Counter, Registry } from "prom-client";
import { expect, it } from "vitest";
import { metricsHandler } from "./metricsHandler.js";

it("serves the registry on GET /metrics in the Prometheus text format", async () => {
  const registry = new Registry();
  new Counter({ name: "bazaar_gateway_downstream_calls_total", help: "calls", labelNames: ["outcome"], registers: [registry] }).inc({ outcome: "success" });
  const app = express();
  app.get("/metrics", metricsHandler(registry));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toContain('bazaar_gateway_downstream_calls_total{outcome="success"} 1');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
