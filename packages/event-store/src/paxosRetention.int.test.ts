import { openTestStores, type TestStores } from "@bazaar/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAXOS_RETENTION_SECONDS } from "./paxosRetention.js";
import { ensureEventSourcingSchema } from "./schema.js";

let stores: TestStores;

const gcGraceOf = async (table: string) =>
  (
    await stores.cassandra.execute("SELECT gc_grace_seconds FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", [stores.keyspace, table], {
      prepare: true,
    })
  )
    .first()
    ?.get("gc_grace_seconds") as number;

const LWT_TABLES_WITHOUT_DELETES = ["events", "publication_relay", "publication_relay_lease"];

beforeAll(async () => {
  stores = await openTestStores("paxos_retention", []);
});

afterAll(async () => stores.close());

describe("the Paxos state of an event-sourced keyspace's LWTs", () => {
  it("is kept 3 h, not the 10 days of the default gc_grace, by every table whose LWTs delete nothing lasting", async () => {
    await ensureEventSourcingSchema(stores.cassandra, stores.keyspace);
    for (const table of LWT_TABLES_WITHOUT_DELETES) expect([table, await gcGraceOf(table)]).toEqual([table, PAXOS_RETENTION_SECONDS]);
    expect(PAXOS_RETENTION_SECONDS).toBe(10_800);
  });

  it("is shortened on tables an older release made with the default, by the next run of the schema", async () => {
    for (const table of LWT_TABLES_WITHOUT_DELETES) await stores.cassandra.execute(`ALTER TABLE ${stores.keyspace}.${table} WITH gc_grace_seconds = 864000`);
    expect(await gcGraceOf("events")).toBe(864_000);
    await ensureEventSourcingSchema(stores.cassandra, stores.keyspace);
    for (const table of LWT_TABLES_WITHOUT_DELETES) expect([table, await gcGraceOf(table)]).toEqual([table, PAXOS_RETENTION_SECONDS]);
  });
});
