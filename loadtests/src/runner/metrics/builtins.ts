import type { Metric, MetricRegistry } from "./registry.js";

/** k6's built-in metrics that this runner emits, defined up front so thresholds can name them. */
export interface BuiltinMetrics {
  readonly checks: Metric;
  readonly dataReceived: Metric;
  readonly dataSent: Metric;
  readonly droppedIterations: Metric;
  readonly groupDuration: Metric;
  readonly httpReqDuration: Metric;
  readonly httpReqWaiting: Metric;
  readonly httpReqReceiving: Metric;
  readonly httpReqFailed: Metric;
  readonly httpReqs: Metric;
  readonly iterationDuration: Metric;
  readonly iterations: Metric;
  readonly vus: Metric;
  readonly vusMax: Metric;
}

export const defineBuiltinMetrics = (registry: MetricRegistry): BuiltinMetrics => ({
  checks: registry.define("checks", "rate"),
  dataReceived: registry.define("data_received", "counter", "data"),
  dataSent: registry.define("data_sent", "counter", "data"),
  droppedIterations: registry.define("dropped_iterations", "counter"),
  groupDuration: registry.define("group_duration", "trend", "time"),
  httpReqDuration: registry.define("http_req_duration", "trend", "time"),
  httpReqWaiting: registry.define("http_req_waiting", "trend", "time"),
  httpReqReceiving: registry.define("http_req_receiving", "trend", "time"),
  httpReqFailed: registry.define("http_req_failed", "rate"),
  httpReqs: registry.define("http_reqs", "counter"),
  iterationDuration: registry.define("iteration_duration", "trend", "time"),
  iterations: registry.define("iterations", "counter"),
  vus: registry.define("vus", "gauge"),
  vusMax: registry.define("vus_max", "gauge"),
});
