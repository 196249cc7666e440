import { gatewayProvisioning } from "@bazaar/gateway/provisioning";
import { createPublicationMetrics, ensureKeyspaceRole, keyspaceRolePresent } from "@bazaar/event-store";
import { createLogger, createMetricsRegistry } from "@bazaar/runtime";
import {
  contextProvisioning,
  contextTopology,
  createWriteSide,
  loadServiceSettings,
  type ProvisioningStep,
  type ServiceParts,
  type ServiceSettings,
} from "@bazaar/service-kit";
import type { CliConfig } from "../config.js";
import { serviceContexts } from "../registry.js";
import type { MigrateArgs } from "./migrateArgs.js";
import { connectStores, type StoreConnections } from "./storeConnections.js";

/** Where a migration reports: one line per step. */
export type Report = (line: string) => void;

/**
 * The reactions a context runs, as its projector role builds them, for their names and source
 * streams. Building them touches no store; nothing here runs them.
 */
const reactionsOf = (parts: ServiceParts, config: ServiceSettings, stores: StoreConnections & { nats: NonNullable<StoreConnections["nats"]> }) => {
  if (!parts.reactions) return [];
  const { write } = createWriteSide({
    cql: stores.cql,
    nats: stores.nats.connection,
    keyspace: config.cassandra.keyspace,
    topology: contextTopology(parts.context, config.namespace, config.nats.streamReplicas),
    snapshotEvery: config.snapshotEvery,
    metrics: createPublicationMetrics(createMetricsRegistry("bazaar-migrate")),
    logger: createLogger("bazaar-migrate"),
  });
  return parts.reactions(write).map(({ name, source }) => ({ name, source }));
};

/** The keyspace's own login (`<TARGET>_CASSANDRA_PASSWORD`), when a password is given for it. */
const roleOf = (cql: StoreConnections["cql"], keyspace: string, password: string | undefined): ProvisioningStep[] =>
  password === undefined
    ? []
    : [
        {
          store: "cassandra",
          what: `role ${keyspace}: read and write ${keyspace} only`,
          run: () => ensureKeyspaceRole(cql, keyspace, password),
          present: () => keyspaceRolePresent(cql, keyspace),
        },
      ];

/**
 * Every step of the chosen targets, each context as its own processes would set it up at start.
 * A stream both its owner and a reacting context ensure is listed once, where it first appears.
 */
const planOf = (args: MigrateArgs, config: CliConfig, stores: StoreConnections): ProvisioningStep[] => {
  const steps = args.targets.flatMap((target) => {
    if (target === "gateway")
      return [
        ...gatewayProvisioning(stores.cql, config.gatewayKeyspace, config.cassandra.replicationFactor),
        ...roleOf(stores.cql, config.gatewayKeyspace, config.rolePasswords.gateway),
      ];
    const parts = serviceContexts.find((service) => service.context === target)!;
    const { nats, es } = stores;
    if (!nats || !es) throw new Error(`${target} needs NATS and Elasticsearch connected`);
    // Settings only: provisioning needs no secret of the processes (the gRPC service token).
    const contextConfig = loadServiceSettings(parts.context, parts.defaults);
    return [
      ...contextProvisioning({
        parts,
        config: contextConfig,
        cql: stores.cql,
        jsm: nats.jsm,
        es,
        reactions: reactionsOf(parts, contextConfig, { ...stores, nats }),
      }),
      ...roleOf(stores.cql, contextConfig.cassandra.keyspace, config.rolePasswords[target]),
    ];
  });
  const seen = new Set<string>();
  return steps.filter((step) => !seen.has(`${step.store}: ${step.what}`) && Boolean(seen.add(`${step.store}: ${step.what}`)));
};

/**
 * `bazaar migrate`: provisions, idempotently, every keyspace, table, stream, consumer, index
 * template and alias the chosen contexts' processes would create at start — by the same steps
 * they run. A dry run connects (so an unreachable store is found) and lists the steps instead.
 * Exit codes: 0 done, 2 a store unreachable or a step failed (the message says which).
 */
export const runMigrate = async (args: MigrateArgs, config: CliConfig, report: Report): Promise<number> => {
  const needsStreams = args.targets.some((target) => target !== "gateway");
  const stores = await connectStores({
    cassandra: config.cassandra,
    ...(needsStreams ? { nats: config.nats, elasticsearch: config.elasticsearch } : {}),
  });
  try {
    const steps = planOf(args, config, stores);
    for (const [i, step] of steps.entries()) {
      const line = `[${i + 1}/${steps.length}] ${step.store}: ${step.what}`;
      if (args.dryRun) {
        report(`would ensure ${line}`);
        continue;
      }
      try {
        await step.run();
      } catch (error) {
        throw new Error(`migrate stopped at ${line}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      report(`ensured ${line}`);
    }
    report(
      `${args.dryRun ? "dry run: nothing changed; " : ""}${steps.length} steps for ${args.targets.join(", ")}${config.namespace ? ` in namespace ${config.namespace}` : ""}`,
    );
    return 0;
  } finally {
    await stores.close();
  }
};
