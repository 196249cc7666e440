import * as grpc from "@grpc/grpc-js";
import { Counter, Histogram, type Registry } from "prom-client";

/**
 * Buckets for request durations, in seconds: a cached read answers in a millisecond, a sync saga
 * or a consistency wait takes seconds, and the gateway's budget ends them at tens of seconds.
 */
export const REQUEST_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Which end of a call is measured: the `grpc_server_*` or the `grpc_client_*` metrics. */
export type RpcSide = "server" | "client";

/** Rate, errors and duration per gRPC method: one counter and one histogram per side. */
export const rpcMetricNames = (side: RpcSide) => ({
  requests: `bazaar_grpc_${side}_requests_total`,
  duration: `bazaar_grpc_${side}_request_duration_seconds`,
});

const LABELS = ["grpc_service", "grpc_method", "grpc_code"] as const;

// Probes and reflection are not traffic: a health check a second would swamp the rates.
const UNMEASURED = ["/grpc.health.v1.Health/", "/grpc.reflection."];

/** `/bazaar.catalog.v1.CatalogCommandService/CreateProduct` → service and method. */
const splitPath = (path: string) => {
  const [, service = "unknown", method = "unknown"] = /^\/([^/]+)\/([^/]+)$/.exec(path) ?? [];
  return { grpc_service: service, grpc_method: method };
};

const codeName = (code: grpc.status): string => grpc.status[code] ?? String(code);

type RpcRecorder = (path: string, code: grpc.status, startedAt: number) => void;
const recorders = new WeakMap<Registry, Map<RpcSide, RpcRecorder>>();

/**
 * Counts one finished call and observes its duration. One recorder per registry and side: a second
 * interceptor on the same registry (two client option sets of one process) shares the metrics
 * instead of registering their names again, which prom-client refuses.
 */
const rpcRecorderOn = (registry: Registry, side: RpcSide): RpcRecorder => {
  let bySide = recorders.get(registry);
  if (!bySide) recorders.set(registry, (bySide = new Map<RpcSide, RpcRecorder>()));
  let recorder = bySide.get(side);
  if (!recorder) bySide.set(side, (recorder = createRpcRecorder(registry, side)));
  return recorder;
};

const createRpcRecorder = (registry: Registry, side: RpcSide): RpcRecorder => {
  const names = rpcMetricNames(side);
  const requests = new Counter({
    name: names.requests,
    help: `gRPC calls finished (${side} side), by method and status code`,
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: names.duration,
    help: `gRPC call duration (${side} side) from start to status, by method and status code`,
    labelNames: LABELS,
    buckets: REQUEST_DURATION_BUCKETS,
    registers: [registry],
  });
  // A method's labels per status code, built on its first call with that code, not on every call.
  type Labels = Record<(typeof LABELS)[number], string>;
  const labelsByPath = new Map<string, Map<grpc.status, Labels>>();
  const labelsOf = (path: string, code: grpc.status) => {
    let byCode = labelsByPath.get(path);
    if (!byCode) labelsByPath.set(path, (byCode = new Map<grpc.status, Labels>()));
    let labels = byCode.get(code);
    if (!labels) byCode.set(code, (labels = { ...splitPath(path), grpc_code: codeName(code) }));
    return labels;
  };
  return (path: string, code: grpc.status, startedAt: number) => {
    const labels = labelsOf(path, code);
    requests.inc(labels);
    duration.observe(labels, (performance.now() - startedAt) / 1000);
  };
};

const measured = (path: string) => !UNMEASURED.some((prefix) => path.startsWith(prefix));

/**
 * A server interceptor measuring every call from its arrival to the status sent, whatever ended it
 * (the handler, an interceptor after this one such as the service-token check, a deadline).
 * Put it first, so it sees what the others answer.
 */
export const grpcServerMetrics = (registry: Registry): grpc.ServerInterceptor => {
  const record = rpcRecorderOn(registry, "server");
  return (method, call) => {
    if (!measured(method.path)) return new grpc.ServerInterceptingCall(call);
    const startedAt = performance.now();
    return new grpc.ServerInterceptingCall(call, {
      sendStatus(status, next) {
        record(method.path, status.code, startedAt);
        next(status);
      },
    });
  };
};

/** Records one finished client call: its status code and when it started (`performance.now()`). */
export type ClientCallRecorder = (code: grpc.status, startedAt: number) => void;

/**
 * What counts and times a client's calls of each method path on `registry` (the
 * `bazaar_grpc_client_*` metrics): a recorder per path, built on its first call; none for probes.
 */
export const clientCallRecorders = (registry: Registry): ((path: string) => ClientCallRecorder | undefined) => {
  const record = rpcRecorderOn(registry, "client");
  const byPath = new Map<string, ClientCallRecorder | null>();
  return (path) => {
    let recorder = byPath.get(path);
    if (recorder === undefined) byPath.set(path, (recorder = measured(path) ? (code, startedAt) => record(path, code, startedAt) : null));
    return recorder ?? undefined;
  };
};
