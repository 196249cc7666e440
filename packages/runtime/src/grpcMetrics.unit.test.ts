import * as grpc from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceClientOptions } from "./grpcClient.js";
import { grpcServerMetrics, REQUEST_DURATION_BUCKETS } from "./grpcMetrics.js";
import { serviceAuthInterceptor } from "./serviceAuth.js";
import { jsonGrpcMethod } from "../../../test/fakes/jsonGrpcMethod.js";

const SECRET = "a-service-secret-of-at-least-32-bytes!!";
const definition: grpc.ServiceDefinition = {
  find: jsonGrpcMethod("/bazaar.test.v1.Things/Find"),
  slow: jsonGrpcMethod("/bazaar.test.v1.Things/Slow"),
  check: jsonGrpcMethod("/grpc.health.v1.Health/Check"),
};
const Client = grpc.makeGenericClientConstructor(definition, "Things");
type Call = (request: object, options: grpc.CallOptions, callback: grpc.requestCallback<unknown>) => grpc.ClientUnaryCall;

const serverRegistry = new Registry();
const clientRegistry = new Registry();
let server: grpc.Server;
let address: string;

beforeAll(async () => {
  server = new grpc.Server({
    interceptors: [
      grpcServerMetrics(serverRegistry),
      serviceAuthInterceptor({ secret: SECRET, open: (path) => path.startsWith("/grpc.health.v1.Health/"), trustActorFrom: new Set() }),
    ],
  });
  const find: grpc.handleUnaryCall<{ id: string }, object> = (call, callback) =>
    call.request.id === "known" ? callback(null, { id: "known" }) : callback({ code: grpc.status.NOT_FOUND, details: "no such thing" });
  // Answers after the callers below have given up (deadline) or cancelled.
  const slow: grpc.handleUnaryCall<object, object> = (_call, callback) => void setTimeout(() => callback(null, {}), 300).unref();
  server.addService(definition, { find, slow, check: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { status: 1 }) });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  address = `127.0.0.1:${port}`;
});
afterAll(() => server.forceShutdown());

/**
 * Calls `name` through our clients' interceptor counting on `clientRegistry`, with a token signed
 * by `secret` (another secret's is refused); `end` cancels the call or gives it a short deadline.
 */
const call = (name: "find" | "slow" | "check", request: object, { secret = SECRET, end }: { secret?: string; end?: "cancel" | "deadline" } = {}) => {
  const client = new Client(
    address,
    grpc.credentials.createInsecure(),
    serviceClientOptions({ secret, caller: "gateway", metrics: clientRegistry }),
  ) as grpc.Client & Record<string, Call>;
  return new Promise<number>((resolve) => {
    const started = client[name]!.call(client, request, end === "deadline" ? { deadline: Date.now() + 50 } : {}, (error) => {
      client.close();
      resolve(error ? error.code : grpc.status.OK);
    });
    if (end === "cancel") setTimeout(() => started.cancel(), 50);
  });
};

/** `name`'s samples as `labels → value`, e.g. "Things/Find/OK" → 2. */
const samples = async (registry: Registry, name: string) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Object.fromEntries((metric?.values ?? []).map((v) => [Object.values(v.labels).join("/"), v.value]));
};

describe("gRPC RED metrics", () => {
  it("count each finished call by service, method and status code on both sides, and time it", async () => {
    expect(await call("find", { id: "known" })).toBe(grpc.status.OK);
    expect(await call("find", { id: "known" })).toBe(grpc.status.OK);
    expect(await call("find", { id: "other" })).toBe(grpc.status.NOT_FOUND);
    // Refused by the server's service-token check, before any handler: still measured on both sides.
    expect(await call("find", { id: "known" }, { secret: `${SECRET}-other` })).toBe(grpc.status.UNAUTHENTICATED);

    const expected = { "bazaar.test.v1.Things/Find/OK": 2, "bazaar.test.v1.Things/Find/NOT_FOUND": 1, "bazaar.test.v1.Things/Find/UNAUTHENTICATED": 1 };
    expect(await samples(serverRegistry, "bazaar_grpc_server_requests_total")).toEqual(expected);
    expect(await samples(clientRegistry, "bazaar_grpc_client_requests_total")).toEqual(expected);

    // The histogram's count per label set matches the counter.
    const counts = (await serverRegistry.getMetricsAsJSON())
      .find((m) => m.name === "bazaar_grpc_server_request_duration_seconds")!
      .values.filter((v) => (v as { metricName?: string }).metricName === "bazaar_grpc_server_request_duration_seconds_count");
    expect(counts.map((v) => [v.labels.grpc_code, v.value])).toEqual(
      expect.arrayContaining([
        ["OK", 2],
        ["NOT_FOUND", 1],
        ["UNAUTHENTICATED", 1],
      ]),
    );
  });

  it("leave health probes out", async () => {
    expect(await call("check", {})).toBe(grpc.status.OK);
    const server = await samples(serverRegistry, "bazaar_grpc_server_requests_total");
    const client = await samples(clientRegistry, "bazaar_grpc_client_requests_total");
    expect(Object.keys(server).some((key) => key.startsWith("grpc.health"))).toBe(false);
    expect(Object.keys(client).some((key) => key.startsWith("grpc.health"))).toBe(false);
  });

  it("count a call the client cancelled and one whose deadline passed, by the status the caller saw", async () => {
    expect(await call("slow", {}, { end: "cancel" })).toBe(grpc.status.CANCELLED);
    expect(await call("slow", {}, { end: "deadline" })).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(await samples(clientRegistry, "bazaar_grpc_client_requests_total")).toMatchObject({
      "bazaar.test.v1.Things/Slow/CANCELLED": 1,
      "bazaar.test.v1.Things/Slow/DEADLINE_EXCEEDED": 1,
    });
  });

  it("bucket durations from a millisecond to the gateway's budget", () => {
    expect(REQUEST_DURATION_BUCKETS[0]).toBe(0.001);
    expect(REQUEST_DURATION_BUCKETS.at(-1)).toBe(30);
    expect([...REQUEST_DURATION_BUCKETS].sort((a, b) => a - b)).toEqual(REQUEST_DURATION_BUCKETS);
  });
});
