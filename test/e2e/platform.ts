import { fileURLToPath } from "node:url";
import { freePort, runProcess, stack, startProcess, uniqueName, type RunningProcess } from "@bazaar/testing";
import { api } from "./auth.js";
import { cleanupNamespace } from "./cleanup.js";

export const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The built platform as real processes on the real stack, in a namespace of its own: its own
 * keyspace, JetStream stream and Elasticsearch aliases, removed by `cleanup`.
 */
export const startPlatform = async (options: { catalogEnv?: Record<string, string>; separateProjector?: boolean } = {}) => {
  const namespace = uniqueName("t").replace(/_/g, "").slice(0, 20);
  const env = {
    BAZAAR_NAMESPACE: namespace,
    CATALOG_KEYSPACE: `catalog_${namespace}`,
    CASSANDRA_CONTACT_POINTS: stack.cassandra.contactPoints.join(","),
    NATS_SERVERS: stack.nats.servers.join(","),
    ELASTICSEARCH_URL: stack.elasticsearch.node,
  };
  const grpcPort = await freePort();
  const httpPort = await freePort();
  const catalogEnv = {
    ...env,
    CATALOG_GRPC_PORT: String(grpcPort),
    CATALOG_METRICS_PORT: "0",
    ...(options.separateProjector ? { CATALOG_ROLES: "command,query" } : {}),
    ...options.catalogEnv,
  };
  const startCatalog = (extra: Record<string, string> = {}) =>
    startProcess({ name: "catalog", script: `${root}services/catalog/dist/main.js`, env: { ...catalogEnv, ...extra }, readyLine: "catalog ready" });
  const startProjector = (extra: Record<string, string> = {}) =>
    startProcess({
      name: "catalog projector",
      script: `${root}services/catalog/dist/main.js`,
      env: { ...env, CATALOG_ROLES: "projector", CATALOG_METRICS_PORT: "0", ...extra },
      readyLine: "catalog ready",
    });
  const processes: { catalog: RunningProcess; projector?: RunningProcess; gateway?: RunningProcess } = {
    catalog: await startCatalog(),
    ...(options.separateProjector ? { projector: await startProjector() } : {}),
  };
  processes.gateway = await startProcess({
    name: "gateway",
    script: `${root}gateway/dist/main.js`,
    env: {
      // Tests sign their tokens with the development secret (test/e2e/auth.ts).
      BAZAAR_MODE: "development",
      GATEWAY_PORT: String(httpPort),
      GATEWAY_METRICS_PORT: "0",
      RATE_LIMIT_IP_LIMIT: "1000000",
      GATEWAY_KEYSPACE: `gateway_${namespace}`,
      BAZAAR_NAMESPACE: namespace,
      CASSANDRA_CONTACT_POINTS: env.CASSANDRA_CONTACT_POINTS,
      // Load-generating tests are one client far above a person's rate (limits: unit-tested).
      RATE_LIMIT_LIMIT: "1000000",
      CATALOG_COMMAND_ADDRESS: `127.0.0.1:${grpcPort}`,
      CATALOG_QUERY_ADDRESS: `127.0.0.1:${grpcPort}`,
    },
    readyLine: "gateway listening",
  });

  return {
    namespace,
    env,
    base: `http://127.0.0.1:${httpPort}`,
    catalogAddress: `127.0.0.1:${grpcPort}`,
    processes,
    /** (Re)starts the catalog, e.g. after a kill, with optional extra env (fault injection). */
    async restartCatalog(extra: Record<string, string> = {}) {
      await processes.catalog.stop();
      processes.catalog = await startCatalog(extra);
    },
    /** (Re)starts the separate projector process with optional extra env. */
    async restartProjector(extra: Record<string, string> = {}) {
      await processes.projector?.stop();
      processes.projector = await startProjector(extra);
    },
    /** `bazaar <args>` against this platform's namespace, with optional extra env. */
    cli: (args: string[], extra: Record<string, string> = {}) => runProcess(`${root}cli/dist/main.js`, args, { ...env, ...extra }),
    /** Stops every process; resolves with their exit codes. */
    async stop() {
      return {
        gateway: await processes.gateway?.stop(),
        catalog: await processes.catalog.stop(),
        ...(processes.projector ? { projector: await processes.projector.stop() } : {}),
      };
    },
    /** Removes everything of this namespace from the servers. */
    cleanup: () => cleanupNamespace(namespace, [env.CATALOG_KEYSPACE, `gateway_${namespace}`]),
  };
};

export type Platform = Awaited<ReturnType<typeof startPlatform>>;

export const postJson = (url: string, body: unknown) =>
  api(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export const newProduct = (name: string) => ({
  sku: uniqueName("SKU"),
  name,
  description: "Stoneware, 350 ml",
  category: "kitchen",
  price: { amount: 1299, currency: "EUR" },
  attributes: { colour: "blue" },
});
