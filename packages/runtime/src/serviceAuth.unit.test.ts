import * as grpc from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "./config.js";
import { serviceClientOptions } from "./grpcClient.js";
import { mintServiceToken, serviceAuthInterceptor, serviceAuthSettings, serviceTokenWriter, verifyServiceToken } from "./serviceAuth.js";
import { jsonGrpcMethod } from "../../../test/fakes/jsonGrpcMethod.js";

const SECRET = "a-service-secret-of-at-least-32-bytes!!";
const definition: grpc.ServiceDefinition = { whoAmI: jsonGrpcMethod("/test.Echo/WhoAmI"), ping: jsonGrpcMethod("/test.Open/Ping") };

let server: grpc.Server;
let address: string;
const Client = grpc.makeGenericClientConstructor(definition, "Echo");
type Call = (request: object, metadata: grpc.Metadata, callback: grpc.requestCallback<{ actor: string }>) => grpc.ClientUnaryCall;

/** Calls `name` with a client built with `options`, sending `actor`; the answer or the status code. */
const call = (name: "whoAmI" | "ping", options: grpc.ClientOptions, actor = "alice") => {
  const client = new Client(address, grpc.credentials.createInsecure(), options) as grpc.Client & Record<string, Call>;
  const metadata = new grpc.Metadata();
  metadata.set("x-actor", actor);
  return new Promise<{ actor: string } | { code: number; details: string }>((resolve) =>
    client[name]!.call(client, {}, metadata, (error, response) => {
      client.close();
      resolve(error ? { code: error.code, details: error.details } : response!);
    }),
  );
};

beforeAll(async () => {
  server = new grpc.Server({
    interceptors: [serviceAuthInterceptor({ secret: SECRET, open: (path) => path.startsWith("/test.Open/"), trustActorFrom: new Set(["gateway"]) })],
  });
  const whoAmI: grpc.handleUnaryCall<unknown, { actor: string }> = (c, callback) => callback(null, { actor: String(c.metadata.get("x-actor")[0]) });
  server.addService(definition, { whoAmI, ping: whoAmI });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  address = `127.0.0.1:${port}`;
});

afterAll(() => server.forceShutdown());

describe("service tokens", () => {
  it("verify for their caller until they expire; a changed caller, expiry or secret does not verify", () => {
    const token = mintServiceToken(SECRET, "ordering", 2_000);
    expect(verifyServiceToken(SECRET, token, 1_999)).toEqual({ caller: "ordering" });
    expect(verifyServiceToken(SECRET, token, 2_000)).toEqual({ refused: "service token expired" });
    expect(verifyServiceToken(`${SECRET}x`, token, 1_000)).toEqual({ refused: "service token signature does not verify" });
    expect(verifyServiceToken(SECRET, token.replace(".ordering.", ".gateway."), 1_000)).toEqual({ refused: "service token signature does not verify" });
    expect(verifyServiceToken(SECRET, token.replace(".2000.", ".9999."), 1_000)).toEqual({ refused: "service token signature does not verify" });
    for (const bad of ["", "bzs1", "bzs1.gateway.x.sig", "Bearer x", "bzs1.GATEWAY.2000.sig", "bzs2.gateway.2000.sig"]) {
      expect(verifyServiceToken(SECRET, bad, 1_000), bad).toEqual({ refused: "malformed service token" });
    }
  });

  it("are minted once per half of their life by a client, not per call", () => {
    vi.useFakeTimers({ now: 1_000_000_000_000, toFake: ["Date"] });
    try {
      const write = serviceTokenWriter(SECRET, "ordering");
      const sent = () => {
        const metadata = new grpc.Metadata();
        write(metadata);
        return String(metadata.get("authorization")[0]);
      };
      const first = sent();
      expect(first).toMatch(/^Bearer bzs1\.ordering\.1000000600\./);
      expect(verifyServiceToken(SECRET, first.slice("Bearer ".length))).toEqual({ caller: "ordering" });
      vi.setSystemTime(1_000_000_299_999);
      expect(sent()).toBe(first);
      vi.setSystemTime(1_000_000_300_000);
      const renewed = sent();
      expect(renewed).toMatch(/^Bearer bzs1\.ordering\.1000000900\./);
      expect(verifyServiceToken(SECRET, renewed.slice("Bearer ".length))).toEqual({ caller: "ordering" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("are required outside development mode: SERVICE_AUTH_SECRET is then required, and at least 32 bytes", () => {
    expect(() => loadConfig(serviceAuthSettings, {})).toThrow(/SERVICE_AUTH_SECRET: is required unless BAZAAR_MODE=development/);
    expect(() => loadConfig(serviceAuthSettings, { SERVICE_AUTH_SECRET: "short" })).toThrow(/SERVICE_AUTH_SECRET: must be at least 32 bytes/);
    expect(loadConfig(serviceAuthSettings, { SERVICE_AUTH_SECRET: SECRET })).toEqual({ development: false, secret: SECRET });
    expect(loadConfig(serviceAuthSettings, { BAZAAR_MODE: "development" })).toMatchObject({ development: true });
  });
});

describe("a server with serviceAuthInterceptor", () => {
  it("refuses a call without a token, or with one signed by another secret, UNAUTHENTICATED", async () => {
    expect(await call("whoAmI", {})).toEqual({ code: grpc.status.UNAUTHENTICATED, details: "no service token (authorization: Bearer …)" });
    expect(await call("whoAmI", serviceClientOptions({ secret: `${SECRET}-other`, caller: "gateway" }))).toEqual({
      code: grpc.status.UNAUTHENTICATED,
      details: "service token signature does not verify",
    });
  });

  it("believes x-actor from the gateway only: another service's call carries its own name", async () => {
    expect(await call("whoAmI", serviceClientOptions({ secret: SECRET, caller: "gateway" }))).toEqual({ actor: "alice" });
    expect(await call("whoAmI", serviceClientOptions({ secret: SECRET, caller: "ordering" }))).toEqual({ actor: "service:ordering" });
  });

  it("lets open paths (health) through without a token", async () => {
    expect(await call("ping", {})).toEqual({ actor: "alice" });
  });
});

describe("serviceClientOptions", () => {
  it("count and time every call on the registry they are given (the RED metrics of a context calling another), with one interceptor", async () => {
    const registry = new Registry();
    expect(await call("whoAmI", serviceClientOptions({ secret: SECRET, caller: "ordering", metrics: registry }))).toEqual({ actor: "service:ordering" });
    expect(await call("whoAmI", serviceClientOptions({ secret: `${SECRET}-other`, caller: "ordering", metrics: registry }))).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
    const requests = await registry.getSingleMetric("bazaar_grpc_client_requests_total")!.get();
    const byCode = Object.fromEntries(requests.values.map((v) => [v.labels.grpc_code, v.value]));
    expect(byCode).toEqual({ OK: 1, UNAUTHENTICATED: 1 });
    expect(requests.values[0]!.labels).toMatchObject({ grpc_service: "test.Echo", grpc_method: "WhoAmI" });
    expect(serviceClientOptions({ secret: SECRET, caller: "ordering", metrics: registry }).interceptors).toHaveLength(1);
  });
});
