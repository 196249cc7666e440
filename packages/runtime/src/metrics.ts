import { createServer } from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type LabelValues } from "prom-client";

/** One registry per process, with Node's default metrics and the service as a label. */
export const createMetricsRegistry = (service: string): Registry => {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
};

/**
 * Metrics registered on the registry a component is given (never prom-client's global one), so
 * two components, or two tests, in one process never collide on a name.
 */
export const metricsOn = (registry: Registry) => ({
  counter: <Label extends string>(name: string, help: string, labelNames: readonly Label[]) => new Counter({ name, help, labelNames, registers: [registry] }),
  gauge: <Label extends string>(name: string, help: string, labelNames: readonly Label[]) => new Gauge({ name, help, labelNames, registers: [registry] }),
  histogram: <Label extends string>(name: string, help: string, labelNames: readonly Label[], buckets: number[]) =>
    new Histogram({ name, help, labelNames, buckets, registers: [registry] }),
});

/** Observes how long ago each instant was, in seconds: the lag of events recorded then and taking effect now. */
export const observeAges = <Label extends string>(histogram: Histogram<Label>, labels: LabelValues<Label>, instants: readonly Date[]): void => {
  const now = Date.now();
  for (const at of instants) histogram.observe(labels, (now - at.getTime()) / 1000);
};

/** Serves `GET /metrics` in the Prometheus text format; resolves once listening. */
export const startMetricsServer = async (options: { host: string; port: number; registry: Registry }): Promise<{ port: number; close(): Promise<void> }> => {
  const server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    options.registry.metrics().then(
      (body) => res.writeHead(200, { "content-type": options.registry.contentType }).end(body),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};
