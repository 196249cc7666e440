import { freePort, runProcess, stack, startProcess, storesEnv, uniqueName, type RunningProcess, type Stores } from "@bazaar/testing";
import { expect } from "vitest";
import { cleanupNamespace, quiescence } from "./cleanup.js";
import { root } from "./platform.js";

export type ContextName = "catalog" | "inventory" | "ordering" | "customer";

/** Where a started gateway serves `/metrics` (its own listener, a free port in tests), as it logged it. */
export const metricsUrlOf = (gateway: RunningProcess): string => {
  const logged = /"url":"(http:\/\/[^"]+\/metrics)"[^\n]*gateway metrics listening/.exec(gateway.output());
  if (!logged?.[1]) throw new Error(`the gateway logged no metrics listener:\n${gateway.output().slice(-2000)}`);
  return logged[1];
};

/**
 * Several bounded contexts as real processes (all roles each) on the real stack, in one
 * namespace of their own. Each can be stopped, killed and restarted, to test what crosses
 * context boundaries: choreography, replicas, the hybrid path. `stores`: the single-node stack
 * unless told (cluster mode: `clusterStack`); `namespace`: a fresh one unless told.
 */
export const startContexts = async (
  names: ContextName[],
  envs: Partial<Record<ContextName, Record<string, string>>> = {},
  stores: Stores = stack,
  namespace = uniqueName("x").replace(/_/g, "").slice(0, 20),
) => {
  const shared = {
    BAZAAR_NAMESPACE: namespace,
    ...storesEnv(stores),
    RELAY_STALE_AFTER_MS: "1000",
    // A killed context's relay lease runs out soon, so its successor finishes its publications.
    RELAY_LEASE_MS: "3000",
  };
  const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await freePort()] as const))) as Record<ContextName, number>;
  const address = (name: ContextName) => `127.0.0.1:${ports[name]}`;
  const envOf = (name: ContextName, extra: Record<string, string> = {}) => ({
    ...shared,
    [`${name.toUpperCase()}_GRPC_PORT`]: String(ports[name]),
    [`${name.toUpperCase()}_METRICS_PORT`]: "0",
    [`${name.toUpperCase()}_KEYSPACE`]: `${name}_${namespace}`,
    ...(name === "ordering" ? { CATALOG_QUERY_ADDRESS: address("catalog") } : {}),
    ...envs[name],
    ...extra,
  });
  const start = (name: ContextName, extra?: Record<string, string>) =>
    startProcess({ name, script: `${root}services/${name}/dist/main.js`, env: envOf(name, extra), readyLine: `${name} ready` });
  const processes = new Map<ContextName, RunningProcess>();
  for (const name of names) processes.set(name, await start(name));

  return {
    namespace,
    address,
    /** Everything a context's current process printed (its JSON log). */
    output: (name: ContextName) => processes.get(name)?.output() ?? "",
    async stop(name: ContextName) {
      return processes.get(name)?.stop();
    },
    async kill(name: ContextName) {
      await processes.get(name)?.kill();
    },
    async start(name: ContextName, extra?: Record<string, string>) {
      processes.set(name, await start(name, extra));
    },
    /** `bazaar <args>` against these contexts' namespace and keyspaces. */
    cli: (args: string[]) =>
      runProcess(`${root}cli/dist/main.js`, args, { ...shared, ...Object.fromEntries(names.map((n) => [`${n.toUpperCase()}_KEYSPACE`, `${n}_${namespace}`])) }),
    async stopAll() {
      const codes: Record<string, number | null | undefined> = {};
      for (const [name, process] of processes) codes[name] = await process.stop();
      return codes;
    },
    /** The built gateway in front of these contexts, with its own keyspace in the namespace. */
    async startGateway(extra: Record<string, string> = {}) {
      const port = await freePort();
      const addresses = Object.fromEntries(
        names.flatMap((name) => [
          [`${name.toUpperCase()}_COMMAND_ADDRESS`, address(name)],
          [`${name.toUpperCase()}_QUERY_ADDRESS`, address(name)],
        ]),
      );
      const env = {
        // Tests sign their tokens with the development secret (test/e2e/auth.ts).
        BAZAAR_MODE: "development",
        // Where the contexts' streams and consumers are (the pipeline state).
        BAZAAR_NAMESPACE: namespace,
        GATEWAY_PORT: String(port),
        // Several test gateways at once: each its own metrics port. Every test client is one
        // loopback address: the per-IP limit is proven by its own test (gatewaySecurity.e2e).
        GATEWAY_METRICS_PORT: "0",
        RATE_LIMIT_IP_LIMIT: "100000000",
        GATEWAY_KEYSPACE: `gateway_${namespace}`,
        ...storesEnv(stores),
        ...addresses,
        ...extra,
      };
      const process = await startProcess({ name: "gateway", script: `${root}gateway/dist/main.js`, env, readyLine: "gateway listening" });
      return {
        base: `http://127.0.0.1:${port}`,
        process,
        restart: (more: Record<string, string> = {}) =>
          startProcess({ name: "gateway", script: `${root}gateway/dist/main.js`, env: { ...env, ...more }, readyLine: "gateway listening" }),
      };
    },
    /** Resolves once nothing is left to publish, deliver or acknowledge in this namespace. */
    stores,
    quiescence: () =>
      quiescence(
        namespace,
        names.map((name) => `${name}_${namespace}`),
        60_000,
        stores,
      ),
    cleanup: () => cleanupNamespace(namespace, [...names.map((name) => `${name}_${namespace}`), `gateway_${namespace}`], stores),
  };
};

export type Contexts = Awaited<ReturnType<typeof startContexts>>;

/**
 * The whole platform: the four contexts and a gateway (with `gatewayEnv`) in front of them, in a
 * namespace of their own; `stop` stops them all and drops the namespace.
 */
export const startWholePlatform = async (gatewayEnv: Record<string, string> = {}) => {
  const contexts = await startContexts(["catalog", "inventory", "ordering", "customer"]);
  const stopContexts = async () => {
    await contexts.stopAll();
    await contexts.cleanup();
  };
  const gateway = await contexts.startGateway(gatewayEnv).catch(async (error: unknown) => {
    await stopContexts();
    throw error;
  });
  return {
    contexts,
    base: gateway.base,
    async stop() {
      await gateway.process.stop();
      await stopContexts();
    },
  };
};

export type WholePlatform = Awaited<ReturnType<typeof startWholePlatform>>;

/**
 * One context as a process of its own on the single-node stack, in `namespace`. `stopCleanly`
 * stops it, drops the namespace and checks it exited 0: a SIGTERM shutdown that drained
 * everything (gRPC, publications, consumers, NATS).
 */
export const startContextAlone = async (name: ContextName, namespace: string) => {
  const contexts = await startContexts([name], {}, stack, namespace);
  return {
    address: contexts.address(name),
    async stopCleanly() {
      const exits = await contexts.stopAll();
      await contexts.cleanup();
      expect(exits, contexts.output(name)).toEqual({ [name]: 0 });
    },
  };
};

export type ContextAlone = Awaited<ReturnType<typeof startContextAlone>>;
