import { CatalogCommandServiceClient, CatalogQueryServiceClient } from "@bazaar/contracts/catalog/v1";
import { callUnary } from "@bazaar/runtime";
import { freePort, stack, startProcess, uniqueName, type RunningProcess } from "@bazaar/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "./platform.js";
import { cleanupNamespace } from "./cleanup.js";
import { asGateway, catalogClients } from "./grpcClients.js";

/**
 * A context's roles are deployable apart: catalog as three processes — command, projector,
 * query — each with only the connections its role needs, working together through the servers.
 */
const namespace = uniqueName("r").replace(/_/g, "").slice(0, 20);
const processes: RunningProcess[] = [];
let commandPort: number;
let queryPort: number;

beforeAll(async () => {
  commandPort = await freePort();
  queryPort = await freePort();
  const env = {
    BAZAAR_NAMESPACE: namespace,
    CATALOG_KEYSPACE: `catalog_${namespace}`,
    CATALOG_METRICS_PORT: "0",
    CASSANDRA_CONTACT_POINTS: stack.cassandra.contactPoints.join(","),
    NATS_SERVERS: stack.nats.servers.join(","),
    ELASTICSEARCH_URL: stack.elasticsearch.node,
  };
  const start = (roles: string, port: number) =>
    startProcess({
      name: `catalog ${roles}`,
      script: `${root}services/catalog/dist/main.js`,
      env: { ...env, CATALOG_ROLES: roles, CATALOG_GRPC_PORT: String(port) },
      readyLine: "catalog ready",
    });
  processes.push(await start("command", commandPort), await start("projector", 0), await start("query", queryPort));
});

afterAll(async () => {
  const exits = [];
  for (const process of processes) exits.push(await process.stop());
  await cleanupNamespace(namespace, [`catalog_${namespace}`]);
  expect(exits).toEqual([0, 0, 0]);
});

describe("catalog as separate command, projector and query processes", () => {
  it("writes through the command process and reads the projector's work through the query process", async () => {
    const catalog = catalogClients(`127.0.0.1:${commandPort}`, `127.0.0.1:${queryPort}`);
    try {
      const productId = await catalog.createProduct("Split mug", 100);
      expect((await catalog.productOnceProjected(productId)).name).toBe("Split mug");
      // The query process serves no commands, the command process no queries.
      const misdirected = new CatalogCommandServiceClient(`127.0.0.1:${queryPort}`, ...asGateway);
      const wrongWay = new CatalogQueryServiceClient(`127.0.0.1:${commandPort}`, ...asGateway);
      await expect(callUnary(misdirected.discontinueProduct.bind(misdirected), { productId, expectedVersion: 0 }, { timeoutMs: 5_000 })).rejects.toThrow(
        /UNIMPLEMENTED|not implemented|unknown service/i,
      );
      await expect(callUnary(wrongWay.getProduct.bind(wrongWay), { productId }, { timeoutMs: 5_000 })).rejects.toThrow(
        /UNIMPLEMENTED|not implemented|unknown service/i,
      );
      misdirected.close();
      wrongWay.close();
    } finally {
      catalog.close();
    }
  });
});
