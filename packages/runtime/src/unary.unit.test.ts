import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unary } from "./grpcServer.js";
import { createLogger } from "./logger.js";
import { jsonGrpcMethod } from "../../../test/fakes/jsonGrpcMethod.js";

const definition: grpc.ServiceDefinition = { wait: jsonGrpcMethod("/test.Waiter/Wait") };

/** When each call's signal fired, by the call's name. */
const abortedAt = new Map<string, number>();
let server: grpc.Server;
let client: grpc.Client & Record<string, unknown>;
type Wait = (request: { name: string }, options: grpc.CallOptions, callback: grpc.requestCallback<unknown>) => grpc.ClientUnaryCall;
const wait: Wait = (request, options, callback) => (client.wait as Wait).call(client, request, options, callback);

beforeAll(async () => {
  server = new grpc.Server();
  server.addService(definition, {
    wait: unary(createLogger("unary-test"), (request: { name: string }, _metadata, { signal }) => {
      // Work that lasts until nobody waits for it any more.
      return new Promise((resolve) => signal.addEventListener("abort", () => resolve(abortedAt.set(request.name, performance.now()) && {})));
    }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const Client = grpc.makeGenericClientConstructor(definition, "Waiter");
  client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as grpc.Client & Record<string, unknown>;
});

afterAll(() => {
  client.close();
  server.forceShutdown();
});

const until = async (name: string) => {
  for (let i = 0; i < 100 && !abortedAt.has(name); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return abortedAt.get(name);
};

describe("unary handlers' signal", () => {
  it("aborts when the call's deadline passes", async () => {
    const started = performance.now();
    const status = await new Promise<number | undefined>((resolve) =>
      wait({ name: "deadline" }, { deadline: Date.now() + 200 }, (error) => resolve(error?.code)),
    );
    expect(status).toBe(grpc.status.DEADLINE_EXCEEDED);
    const at = await until("deadline");
    expect(at).toBeDefined();
    expect(at! - started).toBeLessThan(1_000);
  });

  it("aborts when the caller cancels", async () => {
    const call = wait({ name: "cancel" }, {}, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cancelled = performance.now();
    call.cancel();
    const at = await until("cancel");
    expect(at).toBeDefined();
    expect(at! - cancelled).toBeLessThan(1_000);
  });
});
