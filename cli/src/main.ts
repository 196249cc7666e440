#!/usr/bin/env node
import { connectCassandra, createCassandraEventStore } from "@bazaar/event-store";
import { connectNats } from "@bazaar/messaging";
import { connectElasticsearch, rebuildProjection, verifyProjection } from "@bazaar/projections";
import { createLogger } from "@bazaar/runtime";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { CommandLineError, parseCommandLine } from "./commandLine.js";
import { loadCliConfig } from "./config.js";
import { describeMismatch } from "./diff.js";
import { runMigrate } from "./migrate/migrate.js";
import { natsAuthHeader, natsUsers, renderNatsAuthorization } from "./natsAuth.js";
import { MigrateUsageError, parseMigrateArgs } from "./migrate/migrateArgs.js";
import { registeredProjections, serviceContexts, type RegisteredProjection } from "./registry.js";
import { runTokenCommand, TOKEN_USAGE } from "./token.js";

const USAGE = `usage:
  bazaar migrate [--context <name>]… [--dry-run]
                                               provision keyspaces, tables, streams, consumers, index templates
                                               and aliases of catalog, inventory, ordering, customer, gateway
                                               (default all); --dry-run lists the steps and changes nothing
  bazaar nats-auth [--namespace <ns>]…        print the nats-server authorization block: an admin user, and per
                                               namespace (default BAZAAR_NAMESPACE) a user per context and one for
                                               the gateway, each allowed only its own subjects and streams; passwords
                                               are read by the server from <CONTEXT>_NATS_PASSWORD, GATEWAY_NATS_PASSWORD,
                                               ADMIN_NATS_PASSWORD
  bazaar projections list
  bazaar projections verify <name>             compare every document with the fold of its stream
  bazaar projections rebuild <name> [--keep-old]  rebuild from the event store into a new index, swap the alias
${TOKEN_USAGE}

Reads the services' variables: CASSANDRA_CONTACT_POINTS, CASSANDRA_REPLICATION_FACTOR, NATS_SERVERS,
NATS_STREAM_REPLICAS, ELASTICSEARCH_URL, BAZAAR_NAMESPACE, <CONTEXT>_KEYSPACE, GATEWAY_KEYSPACE.`;

/** Exit codes: 0 clean, 1 mismatches found, 2 usage or runtime error. */
const run = async (args: string[]): Promise<number> => {
  const [group] = args;
  if (group === "token") return runTokenCommand(args.slice(1));
  if (group === "migrate") return migrate(args.slice(1));
  if (group === "nats-auth") return natsAuth(args.slice(1));
  let parsed;
  try {
    parsed = parseCommandLine(args.slice(1), { options: { "keep-old": { type: "boolean", default: false } }, allowPositionals: true });
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const [command, name] = parsed.positionals;
  if (group !== "projections" || !command) {
    console.error(USAGE);
    return 2;
  }
  const config = loadCliConfig();
  const registry = registeredProjections(config);
  if (command === "list") {
    for (const [projectionName, entry] of registry)
      console.log(`${projectionName}\talias ${entry.projection.alias}\tstream ${entry.stream}\tkeyspace ${entry.keyspace}`);
    return 0;
  }
  const entry = name ? registry.get(name) : undefined;
  if (!entry) {
    console.error(`unknown projection ${name ?? "(none)"}; known: ${[...registry.keys()].join(", ")}`);
    return 2;
  }
  if (command === "verify") return verify(config, entry);
  if (command === "rebuild") return rebuild(config, entry, parsed.values["keep-old"]);
  console.error(USAGE);
  return 2;
};

const natsAuth = (args: string[]): number => {
  let parsed;
  try {
    parsed = parseCommandLine(args, { options: { namespace: { type: "string", multiple: true } } });
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const namespaces = parsed.values.namespace ?? [process.env.BAZAAR_NAMESPACE ?? ""];
  process.stdout.write(renderNatsAuthorization(natsUsers(serviceContexts, namespaces), natsAuthHeader(namespaces)));
  return 0;
};

const migrate = async (args: string[]): Promise<number> => {
  let parsed;
  try {
    parsed = parseMigrateArgs(args);
  } catch (error) {
    if (!(error instanceof MigrateUsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  return runMigrate(parsed, loadCliConfig(), (line) => console.log(line));
};

const verify = async (config: ReturnType<typeof loadCliConfig>, entry: RegisteredProjection): Promise<number> => {
  const cassandra = await connectCassandra(config.cassandra);
  const es = connectElasticsearch(config.elasticsearch);
  try {
    const report = await verifyProjection({ es, eventStore: createCassandraEventStore(cassandra, entry.keyspace), projection: entry.projection });
    if (report.mismatches.length === 0) {
      console.log(`verify ${entry.projection.name}: clean — ${report.checked} documents equal the fold of their streams`);
      return 0;
    }
    console.log(`verify ${entry.projection.name}: ${report.mismatches.length} mismatches in ${report.checked} documents`);
    for (const mismatch of report.mismatches.slice(0, 100)) console.log(describeMismatch(mismatch));
    if (report.mismatches.length > 100) console.log(`… and ${report.mismatches.length - 100} more`);
    return 1;
  } finally {
    await cassandra.shutdown();
    await es.close();
  }
};

const rebuild = async (config: ReturnType<typeof loadCliConfig>, entry: RegisteredProjection, keepOld: boolean): Promise<number> => {
  const logger = createLogger("bazaar-cli");
  const cassandra = await connectCassandra(config.cassandra);
  const nats = await connectNats(config.nats);
  const es = connectElasticsearch(config.elasticsearch);
  try {
    const report = await rebuildProjection({
      ...entry,
      es,
      js: jetstream(nats),
      jsm: await jetstreamManager(nats),
      eventStore: createCassandraEventStore(cassandra, entry.keyspace),
      logger,
      keepOld,
      replicas: config.elasticsearch.replicas,
    });
    console.log(
      `rebuild ${entry.projection.name}: ${report.documents} documents from ${report.streams} streams into ${report.index} ` +
        `in ${(report.durationMs / 1000).toFixed(1)} s; alias ${entry.projection.alias} swapped from ${report.replaced.join(", ") || "(none)"}` +
        (report.deadLettered > 0 ? `; ${report.deadLettered} events dead-lettered` : ""),
    );
    return 0;
  } finally {
    await nats.drain();
    await cassandra.shutdown();
    await es.close();
  }
};

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
