import type cassandra from "cassandra-driver";
import { describe, expect, it } from "vitest";
import { cassandraStep, ProvisioningMissingError, settleProvisioning, type ProvisioningStep } from "./provisioning.js";

/** A client that answers system_schema lookups from a set of "ks", "ks.table" and "ks.table.column" names. */
const schemaClient = (existing: readonly string[]) => {
  const asked: string[] = [];
  const client = {
    execute: (query: string, params: string[]) => {
      asked.push(`${query.split(" ")[1]} ${params.join(".")}`);
      return Promise.resolve({ rows: existing.includes(params.join(".")) ? [{}] : [] });
    },
  } as unknown as cassandra.Client;
  return { client, asked };
};

const ensureShop = async (client: cassandra.Client) => {
  await client.execute(`CREATE KEYSPACE IF NOT EXISTS shop
     WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  await client.execute("CREATE TABLE IF NOT EXISTS shop.orders (id text PRIMARY KEY)");
  await client.execute("ALTER TABLE shop.orders ADD owner text").catch(() => undefined);
  await client.execute("INSERT INTO shop.orders (id) VALUES ('seed') IF NOT EXISTS");
  await client.execute("SELECT gc_grace_seconds FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", ["shop", "orders"]);
  await client.execute("ALTER TABLE shop.orders WITH gc_grace_seconds = 10800");
};

describe("a Cassandra step's presence check", () => {
  it("asks system_schema for exactly what the schema function creates: keyspace, tables, added columns (not its seed rows, reads or table options)", async () => {
    const { client, asked } = schemaClient(["shop", "shop.orders", "shop.orders.owner"]);
    await expect(cassandraStep(client, "shop", ensureShop).present()).resolves.toBe(true);
    expect(asked).toEqual(["keyspace_name shop", "table_name shop.orders", "column_name shop.orders.owner"]);
  });

  it("is false as soon as one piece is missing, and never runs the DDL", async () => {
    const { client, asked } = schemaClient(["shop", "shop.orders"]);
    await expect(cassandraStep(client, "shop", ensureShop).present()).resolves.toBe(false);
    expect(asked.every((line) => !line.startsWith("KEYSPACE") && !line.startsWith("TABLE"))).toBe(true);
    await expect(cassandraStep(schemaClient([]).client, "shop", ensureShop).present()).resolves.toBe(false);
  });

  it("refuses DDL it cannot check rather than calling it present", async () => {
    const ensureIndex = async (client: cassandra.Client) => void (await client.execute("CREATE INDEX IF NOT EXISTS ON shop.orders (owner)"));
    await expect(cassandraStep(schemaClient(["shop"]).client, "index", ensureIndex).present()).rejects.toThrow(/no presence check for: CREATE INDEX/);
  });
});

describe("settleProvisioning", () => {
  const step = (what: string, present: boolean, ran: string[]): ProvisioningStep => ({
    store: "nats",
    what,
    run: async () => void ran.push(what),
    present: async () => present,
  });

  it("creates (runs every step) when the process may", async () => {
    const ran: string[] = [];
    await settleProvisioning([step("a", true, ran), step("b", false, ran)], { create: true });
    expect(ran).toEqual(["a", "b"]);
  });

  it("otherwise only checks: all there, it changes nothing; gaps stop it, each named, with what to run", async () => {
    const ran: string[] = [];
    await settleProvisioning([step("a", true, ran)], { create: false });
    const refusal = settleProvisioning([step("a", true, ran), step("stream X", false, ran), step("consumer Y", false, ran)], { create: false });
    await expect(refusal).rejects.toBeInstanceOf(ProvisioningMissingError);
    await expect(refusal).rejects.toThrow(
      "not provisioned — run `bazaar migrate` first (or BAZAAR_PROVISIONING=create to let processes create it): nats: stream X; nats: consumer Y",
    );
    expect(ran).toEqual([]);
  });
});
