import { randomUUID } from "node:crypto";
import {
  connectStoresNats,
  dropNamespace,
  freePort,
  repoRoot,
  runProcess,
  stack,
  startProcess,
  storesEnv,
  uniqueName,
  type RunningProcess,
} from "@bazaar/testing";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogClients } from "../../test/e2e/grpcClients.js";

/**
 * `bazaar migrate` (the built CLI, as the chart's hook Job runs it) against the real stores, in a
 * namespace of its own: it creates what the processes would create at start, a second run
 * changes nothing, and a context started afterwards serves on what it found.
 */
const CONTEXTS = ["catalog", "inventory", "ordering", "customer"] as const;
const namespace = uniqueName("m").replace(/_/g, "").slice(0, 20);
const keyspaces = [...CONTEXTS, "gateway"].map((name) => `${name}_${namespace}`);
/** A password per keyspace's role (roles are named after their keyspace: this run's own). */
const rolePasswords = Object.fromEntries([...CONTEXTS, "gateway"].map((name) => [`${name.toUpperCase()}_CASSANDRA_PASSWORD`, `pw-${randomUUID()}`]));
const env = {
  ...storesEnv(stack),
  ...rolePasswords,
  BAZAAR_NAMESPACE: namespace,
  GATEWAY_KEYSPACE: `gateway_${namespace}`,
  ...Object.fromEntries(CONTEXTS.map((name) => [`${name.toUpperCase()}_KEYSPACE`, `${name}_${namespace}`])),
};
// Production mode and no secret at all: provisioning needs none of the processes' secrets.
const migrate = (...args: string[]) =>
  runProcess(`${repoRoot}cli/dist/main.js`, ["migrate", ...args], { ...env, BAZAAR_MODE: "production", SERVICE_AUTH_SECRET: "" }, 120_000);
const stream = (context: string) => `${namespace.toUpperCase()}_${context.toUpperCase()}`;

let cql: cassandra.Client;
let nats: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  const { contactPoints, localDataCenter, username, password } = stack.cassandra;
  cql = new cassandra.Client({
    contactPoints,
    localDataCenter,
    ...(username ? { authProvider: new cassandra.auth.PlainTextAuthProvider(username, password ?? "") } : {}),
  });
  await cql.connect();
  nats = await connectStoresNats(stack);
  jsm = await jetstreamManager(nats);
});

afterAll(async () => {
  for (const keyspace of keyspaces) await cql?.execute(`DROP ROLE IF EXISTS ${keyspace}`).catch(() => undefined);
  await nats?.close();
  await cql?.shutdown();
  await dropNamespace(namespace, keyspaces);
});

/** A session logged in as a keyspace's own role. */
const loginAs = async (keyspace: string) => {
  const client = new cassandra.Client({
    contactPoints: stack.cassandra.contactPoints,
    localDataCenter: stack.cassandra.localDataCenter,
    authProvider: new cassandra.auth.PlainTextAuthProvider(keyspace, rolePasswords[`${keyspace.split("_")[0]!.toUpperCase()}_CASSANDRA_PASSWORD`]!),
  });
  await client.connect();
  return client;
};
const refusal = (work: Promise<unknown>) =>
  work.then(
    () => "allowed",
    (error: unknown) =>
      error instanceof cassandra.errors.ResponseError && error.code === cassandra.types.responseErrorCodes.unauthorized ? "unauthorized" : String(error),
  );

/** Tables per keyspace, each with its id (a table dropped and created again gets a new one). */
const tables = async () => {
  const rows = (await cql.execute("SELECT keyspace_name, table_name, id FROM system_schema.tables")).rows.filter((row) =>
    keyspaces.includes(row.keyspace_name as string),
  );
  return Object.fromEntries(rows.map((row) => [`${row.keyspace_name}.${row.table_name}`, String(row.id)]));
};

const replication = async (keyspace: string) =>
  (await cql.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", [keyspace])).first()?.get("replication") as
    Record<string, string> | undefined;

/** This namespace's streams with their subjects, creation time and durable consumers (with theirs). */
const streams = async () => {
  const found: Record<string, { subjects: string[]; created: string; consumers: Record<string, string> }> = {};
  for await (const info of jsm.streams.list()) {
    if (!info.config.name.startsWith(`${namespace.toUpperCase()}_`)) continue;
    const consumers: Record<string, string> = {};
    for await (const consumer of jsm.consumers.list(info.config.name)) consumers[consumer.name] = consumer.created;
    found[info.config.name] = { subjects: info.config.subjects ?? [], created: info.created, consumers };
  }
  return found;
};

/** The concrete indices behind this namespace's aliases, and its index templates' patterns. */
const readModels = async () => {
  const es = stack.elasticsearch.node;
  const aliases = (await (await fetch(`${es}/_alias/${namespace}-*`)).json()) as Record<string, { aliases: Record<string, unknown> }>;
  const byAlias = Object.fromEntries(Object.entries(aliases).flatMap(([index, entry]) => Object.keys(entry.aliases).map((alias) => [alias, index])));
  const templates = (await (await fetch(`${es}/_index_template/${namespace}-*`)).json()) as {
    index_templates?: { name: string; index_template: { index_patterns: string[] } }[];
  };
  return { byAlias, templates: Object.fromEntries((templates.index_templates ?? []).map((t) => [t.name, t.index_template.index_patterns])) };
};

const snapshot = async () => ({ tables: await tables(), streams: await streams(), readModels: await readModels() });

const catalogScript = `${repoRoot}services/catalog/dist/main.js`;

describe("bazaar migrate", () => {
  let first: Awaited<ReturnType<typeof snapshot>>;

  it("before it runs, a process that only checks (BAZAAR_PROVISIONING=check, production's default) refuses to start, naming every gap, and creates nothing", async () => {
    const run = await runProcess(
      catalogScript,
      [],
      { ...env, BAZAAR_MODE: "development", BAZAAR_PROVISIONING: "check", CATALOG_GRPC_PORT: String(await freePort()), CATALOG_METRICS_PORT: "0" },
      60_000,
    );
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toContain("not provisioned — run `bazaar migrate` first");
    expect(run.output).toContain(`nats: stream ${stream("catalog")}`);
    expect(run.output).toContain(`elasticsearch: index template ${namespace}-catalog-products`);
    expect(await snapshot()).toEqual({ tables: {}, streams: {}, readModels: { byAlias: {}, templates: {} } });
  });

  it("a dry run lists the steps and creates nothing", async () => {
    const run = await migrate("--dry-run");
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`would ensure [1/36] cassandra: keyspace catalog_${namespace} (replication factor 1)`);
    expect(run.output).toContain(`nats: consumer ${namespace}-ordering-product-replica on ${stream("catalog")} (reaction)`);
    expect(run.output).toContain(`role catalog_${namespace}: read and write catalog_${namespace} only`);
    expect(run.output).toContain("dry run: nothing changed; 36 steps");
    expect(await snapshot()).toEqual({ tables: {}, streams: {}, readModels: { byAlias: {}, templates: {} } });
  });

  it("creates every keyspace, table, stream, consumer, template and alias the processes use", async () => {
    const run = await migrate();
    expect(run.code, run.output).toBe(0);
    first = await snapshot();
    for (const keyspace of keyspaces) expect(await replication(keyspace)).toMatchObject({ replication_factor: "1" });
    const publication = ["events", "snapshots", "publication_attempts", "publication_relay", "publication_relay_lease"];
    expect(Object.keys(first.tables).sort()).toEqual(
      [
        ...[...publication, "sku_claims"].map((table) => `catalog_${namespace}.${table}`),
        ...[...publication, "reaction_checkpoints"].map((table) => `inventory_${namespace}.${table}`),
        ...[...publication, "reaction_checkpoints", "product_replica", "orders_by_product"].map((table) => `ordering_${namespace}.${table}`),
        ...[...publication, "email_claims"].map((table) => `customer_${namespace}.${table}`),
        ...["idempotency_keys", "sagas", "saga_steps", "open_sagas", "failed_sagas"].map((table) => `gateway_${namespace}.${table}`),
      ].sort(),
    );
    const consumersOf = (name: string) => Object.keys(first.streams[stream(name)]?.consumers ?? {}).sort();
    expect(Object.keys(first.streams).sort()).toEqual(CONTEXTS.map(stream).sort());
    expect(first.streams[stream("catalog")]?.subjects).toEqual([`${namespace}.catalog.events.>`]);
    expect(consumersOf("catalog")).toEqual([`${namespace}-catalog-product-search`, `${namespace}-ordering-product-replica`]);
    expect(consumersOf("inventory")).toEqual([`${namespace}-inventory-stock-level`, `${namespace}-ordering-stock-outcome`]);
    expect(consumersOf("ordering")).toEqual([`${namespace}-inventory-order-stock`, `${namespace}-ordering-order-view`]);
    expect(consumersOf("customer")).toEqual([`${namespace}-customer-profile`]);
    const aliases = ["catalog-products", "inventory-stock-levels", "ordering-orders", "customer-profiles"].map((alias) => `${namespace}-${alias}`);
    expect(Object.keys(first.readModels.byAlias).sort()).toEqual(aliases.sort());
    expect(first.readModels.templates).toEqual(Object.fromEntries(aliases.map((alias) => [alias, [`${alias}-*`]])));
  });

  it("gives each keyspace a role of its own: catalog's reads and writes its keyspace, and is refused on customer's events, on schema and on roles", async () => {
    const catalog = await loginAs(`catalog_${namespace}`);
    try {
      const own = `catalog_${namespace}`;
      await catalog.execute(`INSERT INTO ${own}.sku_claims (value, owner) VALUES ('role-check', 'migrate.int')`);
      expect((await catalog.execute(`SELECT owner FROM ${own}.sku_claims WHERE value = 'role-check'`)).first()?.get("owner")).toBe("migrate.int");
      expect(await refusal(catalog.execute(`SELECT * FROM customer_${namespace}.events LIMIT 1`))).toBe("unauthorized");
      expect(await refusal(catalog.execute(`INSERT INTO customer_${namespace}.email_claims (value, owner) VALUES ('x', 'catalog')`))).toBe("unauthorized");
      expect(await refusal(catalog.execute(`CREATE TABLE ${own}.intruder (id text PRIMARY KEY)`))).toBe("unauthorized");
      expect(await refusal(catalog.execute(`DROP TABLE ${own}.events`))).toBe("unauthorized");
      expect(await refusal(catalog.execute(`CREATE ROLE intruder_${namespace} WITH PASSWORD = 'intruder-password' AND LOGIN = true`))).toBe("unauthorized");
    } finally {
      await catalog.shutdown();
    }
  });

  it("a second run succeeds and changes nothing", async () => {
    const run = await migrate();
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("36 steps for catalog, inventory, ordering, customer, gateway");
    expect(await snapshot()).toEqual(first);
  });

  describe("a context started after it", () => {
    let catalog: RunningProcess | undefined;
    afterAll(async () => {
      await catalog?.stop();
    });

    it("checks (and finds) what migrate created, serves commands and queries on it with its own role, and leaves it as it was", async () => {
      const port = await freePort();
      catalog = await startProcess({
        name: "catalog",
        script: catalogScript,
        // Logged in as the catalog keyspace's own role, which may not create anything.
        env: {
          ...env,
          CASSANDRA_USERNAME: `catalog_${namespace}`,
          CASSANDRA_PASSWORD: rolePasswords.CATALOG_CASSANDRA_PASSWORD!,
          BAZAAR_PROVISIONING: "check",
          CATALOG_GRPC_PORT: String(port),
          CATALOG_METRICS_PORT: "0",
        },
        readyLine: "catalog ready",
      });
      // As the gateway would call it (the catalog runs in development mode: the built-in service secret).
      const catalogApi = catalogClients(`127.0.0.1:${port}`);
      try {
        const productId = await catalogApi.createProduct("Migrated kettle", 2599);
        expect(await catalogApi.productOnceProjected(productId)).toMatchObject({ productId, name: "Migrated kettle" });
      } finally {
        catalogApi.close();
      }
      const after = await snapshot();
      expect(after.tables).toEqual(first.tables);
      expect(after.readModels).toEqual(first.readModels);
      // Same streams and consumers, created when migrate ran (the catalog's process added none).
      expect(Object.fromEntries(Object.entries(after.streams).map(([name, s]) => [name, { created: s.created, consumers: s.consumers }]))).toEqual(
        Object.fromEntries(Object.entries(first.streams).map(([name, s]) => [name, { created: s.created, consumers: s.consumers }])),
      );
    });
  });
});
