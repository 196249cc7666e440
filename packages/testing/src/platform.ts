import { dropNamespace } from "./namespaceCleanup.js";
import { freePort, runProcess, startProcess, type RunningProcess } from "./processes.js";
import { repoRoot } from "./repoRoot.js";
import { stack, storesEnv, uniqueName } from "./stack.js";

export const CONTEXTS = ["catalog", "inventory", "ordering", "customer"] as const;
export type ContextName = (typeof CONTEXTS)[number];

/** The platform did not start; `dropped` says whether its namespace could be removed already. */
export class PlatformStartError extends Error {
  constructor(
    readonly namespace: string,
    readonly dropped: boolean,
    cause: unknown,
  ) {
    super(`the platform in namespace ${namespace} did not start: ${String(cause)}`, { cause });
    this.name = "PlatformStartError";
  }
}

/** Drops every keyspace a platform of `namespace` creates. */
export const dropPlatformNamespace = (namespace: string) =>
  dropNamespace(
    namespace,
    [...CONTEXTS, "gateway"].map((name) => `${name}_${namespace}`),
  );

/** When a context was stopped or started through the platform, and how long it took. */
export interface ProcessEvent {
  context: ContextName;
  action: "stop" | "start";
  requestedAt: number;
  doneAt: number;
  durationMs: number;
  /** stop: the exit code; start: the new pid. */
  detail: number | null;
}

export interface PlatformOptions {
  /** Starts the namespace's name (letters and digits): who made it, when it is found left over. */
  prefix?: string;
  /** Extra environment per process, over the defaults (e.g. NODE_OPTIONS for a CPU profile). */
  env?: Partial<Record<ContextName | "gateway", Record<string, string>>>;
}

/**
 * A platform of its own for a measurement: the four contexts (all roles each) and the gateway
 * as child processes on free ports, in a fresh namespace (keyspaces, streams, indices), with the
 * default configuration but for the gateway's rate limit (lifted: the load is one principal).
 */
export const startPlatform = async (log: (line: string) => void, options: PlatformOptions = {}) => {
  const namespace = uniqueName(options.prefix ?? "lt")
    .replace(/_/g, "")
    .slice(0, 20);
  const shared = {
    BAZAAR_NAMESPACE: namespace,
    // Where the stores are and the stack's logins (replication factor 1, the default).
    ...storesEnv(stack),
    // Everything else at its defaults: what is measured is the platform as it ships.
  };
  const keyspace = (name: ContextName | "gateway") => `${name}_${namespace}`;
  const ports = Object.fromEntries(await Promise.all(CONTEXTS.map(async (name) => [name, await freePort()] as const))) as Record<ContextName, number>;
  const address = (name: ContextName) => `127.0.0.1:${ports[name]}`;
  const envOf = (name: ContextName): Record<string, string> => ({
    ...shared,
    // The gateway's service tokens are signed with the development secret, as its user tokens are.
    BAZAAR_MODE: "development",
    [`${name.toUpperCase()}_GRPC_PORT`]: String(ports[name]),
    [`${name.toUpperCase()}_METRICS_PORT`]: "0",
    [`${name.toUpperCase()}_KEYSPACE`]: keyspace(name),
    ...(name === "ordering" ? { CATALOG_QUERY_ADDRESS: address("catalog") } : {}),
    ...options.env?.[name],
  });
  const startContext = (name: ContextName) =>
    startProcess({ name, script: `${repoRoot}services/${name}/dist/main.js`, env: envOf(name), readyLine: `${name} ready`, timeoutMs: 120_000 });

  const processes = new Map<ContextName, RunningProcess>();
  const events: ProcessEvent[] = [];
  let gateway: RunningProcess | undefined;
  const gatewayPort = await freePort();
  try {
    for (const name of CONTEXTS) {
      processes.set(name, await startContext(name));
      log(`${name} ready on ${address(name)} (pid ${processes.get(name)!.child.pid})`);
    }
    gateway = await startProcess({
      name: "gateway",
      script: `${repoRoot}gateway/dist/main.js`,
      env: {
        // Its tokens are minted with the development secret (mintToken below).
        BAZAAR_MODE: "development",
        GATEWAY_PORT: String(gatewayPort),
        GATEWAY_METRICS_PORT: "0",
        GATEWAY_KEYSPACE: keyspace("gateway"),
        ...storesEnv(stack),
        // Where the contexts' streams and consumers are (the pipeline state).
        BAZAAR_NAMESPACE: namespace,
        // The load generator is one principal far above a person's rate.
        RATE_LIMIT_LIMIT: "100000000",
        RATE_LIMIT_IP_LIMIT: "100000000",
        ...Object.fromEntries(
          CONTEXTS.flatMap((name) => [
            [`${name.toUpperCase()}_COMMAND_ADDRESS`, address(name)],
            [`${name.toUpperCase()}_QUERY_ADDRESS`, address(name)],
          ]),
        ),
        ...options.env?.gateway,
      },
      readyLine: "gateway listening",
      timeoutMs: 120_000,
    });
    log(`gateway listening on 127.0.0.1:${gatewayPort} (pid ${gateway.child.pid})`);
  } catch (error) {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    const dropped = await dropPlatformNamespace(namespace).then(
      () => true,
      () => false,
    );
    throw new PlatformStartError(namespace, dropped, error);
  }
  const running = gateway;

  return {
    namespace,
    base: `http://127.0.0.1:${gatewayPort}`,
    events,
    /** Current pid of a context process (undefined while it is stopped), or the gateway's. */
    pid: (name: ContextName | "gateway"): number | undefined => {
      const child = name === "gateway" ? running.child : processes.get(name)?.child;
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    /** SIGTERM the context and wait until it exited. */
    async stop(name: ContextName): Promise<ProcessEvent> {
      const requestedAt = Date.now();
      const code = (await processes.get(name)?.stop()) ?? null;
      const event = { context: name, action: "stop" as const, requestedAt, doneAt: Date.now(), durationMs: Date.now() - requestedAt, detail: code };
      events.push(event);
      return event;
    },
    /** Start the context again and wait until it is ready. */
    async start(name: ContextName): Promise<ProcessEvent> {
      const requestedAt = Date.now();
      const process = await startContext(name);
      processes.set(name, process);
      const event = {
        context: name,
        action: "start" as const,
        requestedAt,
        doneAt: Date.now(),
        durationMs: Date.now() - requestedAt,
        detail: process.child.pid ?? null,
      };
      events.push(event);
      return event;
    },
    /** A staff bearer token from the CLI (every scope, every customer), signed with development mode's secret. */
    async mintToken(): Promise<string> {
      const { code, output } = await runProcess(`${repoRoot}cli/dist/main.js`, ["token", "mint", "--staff", "--ttl", "86400"], { BAZAAR_MODE: "development" });
      const token = output.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new Error(`bazaar token mint failed (${code}):\n${output}`);
      return token;
    },
    /** Stops the gateway and every context, then drops the namespace's keyspaces, streams and indices. */
    async stopAndDrop(): Promise<void> {
      await running.stop();
      for (const process of processes.values()) await process.stop();
      // The data stores are shared: someone's fault drill may have one down for a while.
      for (let attempt = 1; ; attempt++) {
        try {
          await dropPlatformNamespace(namespace);
          return;
        } catch (error) {
          if (attempt >= 6) throw error;
          log(`dropping namespace ${namespace} failed (${String(error).split("\n")[0]}), retrying in 10 s`);
          await new Promise((r) => setTimeout(r, 10_000));
        }
      }
    },
  };
};

export type Platform = Awaited<ReturnType<typeof startPlatform>>;
