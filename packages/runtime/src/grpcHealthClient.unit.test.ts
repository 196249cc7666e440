import { freePort } from "@bazaar/testing";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import { afterEach, describe, expect, it } from "vitest";
import { createHealthClient, type HealthClient } from "./grpcHealthClient.js";

const closing: (() => void)[] = [];
afterEach(() => {
  for (const close of closing.splice(0)) close();
});

const serve = async (health: HealthImplementation) => {
  const server = new Server();
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  closing.push(() => server.forceShutdown());
  return `127.0.0.1:${port}`;
};

const client = (address: string, timeoutMs = 2_000): HealthClient => {
  const health = createHealthClient(address, timeoutMs);
  closing.push(() => health.close());
  return health;
};

describe("the gRPC health client", () => {
  it("says what the server says of itself as a whole, as it changes", async () => {
    const health = new HealthImplementation({ "": "SERVING" });
    const checker = client(await serve(health));
    expect(await checker.check()).toBe("SERVING");
    health.setStatus("", "NOT_SERVING");
    expect(await checker.check()).toBe("NOT_SERVING");
  });

  it("answers UNREACHABLE, never throws, when nothing listens", async () => {
    expect(await client(`127.0.0.1:${await freePort()}`, 300).check()).toBe("UNREACHABLE");
  });
});
