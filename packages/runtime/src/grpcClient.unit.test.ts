import { Server, ServerCredentials, credentials, makeGenericClientConstructor, Metadata, type ServiceDefinition } from "@grpc/grpc-js";
import { freePort } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import { CHANNEL_OPTIONS } from "./grpcClient.js";

const empty = { serialize: () => Buffer.alloc(0), deserialize: () => ({}) };
const ping: ServiceDefinition = {
  Ping: {
    path: "/test.Echo/Ping",
    requestStream: false,
    responseStream: false,
    requestSerialize: empty.serialize,
    requestDeserialize: empty.deserialize,
    responseSerialize: empty.serialize,
    responseDeserialize: empty.deserialize,
  },
};
const Echo = makeGenericClientConstructor(ping, "Echo");

const serve = async (port: number) => {
  const server = new Server();
  server.addService(ping, { Ping: (_call: unknown, callback: (error: null, response: object) => void) => callback(null, {}) });
  await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return server;
};

describe("CHANNEL_OPTIONS", () => {
  it("reaches a peer back from a long outage within ~2 s (grpc-js backs off to 120 s by default)", { timeout: 40_000 }, async () => {
    const port = await freePort();
    let server = await serve(port);
    const client = new Echo(`127.0.0.1:${port}`, credentials.createInsecure(), CHANNEL_OPTIONS) as unknown as {
      Ping(request: object, metadata: Metadata, options: object, callback: (error: Error | null) => void): void;
      close(): void;
    };
    const ping = () => new Promise<boolean>((resolve) => client.Ping({}, new Metadata(), { deadline: Date.now() + 200 }, (error) => resolve(!error)));
    expect(await ping()).toBe(true);

    // Down for 20 s, with callers trying all along: by default grpc-js would now wait ~10 s between attempts.
    server.forceShutdown();
    const downUntil = Date.now() + 20_000;
    while (Date.now() < downUntil) {
      expect(await ping()).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    server = await serve(port);
    const back = Date.now();
    while (!(await ping())) await new Promise((resolve) => setTimeout(resolve, 50));
    const reachedAfter = Date.now() - back;
    client.close();
    server.forceShutdown();
    // 2 s at most between attempts, plus grpc-js's 20 % jitter and a loaded machine's slack.
    expect(reachedAfter).toBeLessThan(3_000);
  });
});
