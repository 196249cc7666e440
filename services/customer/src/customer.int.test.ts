import { randomUUID } from "node:crypto";
import { AlreadyExistsError, ConcurrencyError, ValidationError, type EventMetadata } from "@bazaar/core";
import {
  connectCassandra,
  createCassandraClaims,
  createCassandraEventStore,
  createCassandraSnapshotStore,
  ensureClaimsSchema,
  ensureEventSourcingSchema,
  ensureKeyspace,
  type EventStore,
  type UniqueClaims,
} from "@bazaar/event-store";
import { applyEvents, connectElasticsearch, ensureIndex, readDocuments, verifyProjection, type DocumentProjection } from "@bazaar/projections";
import { stack, uniqueName } from "@bazaar/testing";
import type { Client } from "@elastic/elasticsearch";
import type cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomerCommandHandler, EMAIL_CLAIMS_TABLE, type CustomerCommandHandler } from "./application/customerCommandHandler.js";
import type { Address } from "./domain/customerEvents.js";
import { customerStreamId } from "./domain/customerStream.js";
import { customerProfileProjection, type CustomerProfileDocument } from "./projections/customerProfileProjection.js";

/** The customer context's pieces against the real Cassandra and Elasticsearch. */
const keyspace = uniqueName("customer_test");
const alias = uniqueName("customer-profiles-test").toLowerCase();
const profiles: DocumentProjection<CustomerProfileDocument> = { ...customerProfileProjection, name: alias, alias };

let cql: cassandra.Client;
let es: Client;
let eventStore: EventStore;
let claims: UniqueClaims;
let handler: CustomerCommandHandler;

const metadata: EventMetadata = { causationId: "test", correlationId: "test", actor: "customer.int.test" };
const home: Address = { line1: "Hauptstraße 1", line2: "", postalCode: "10115", city: "Berlin", country: "DE" };
const office: Address = { line1: "1 Main Street", line2: "Suite 200", postalCode: "SW1A 1AA", city: "London", country: "GB" };
const uniqueEmail = (local = "ada") => `${local}.${randomUUID().slice(0, 8)}@example.com`;

const register = (customerId: string, email: string, overrides: { name?: string; address?: Address } = {}) =>
  handler.register({ type: "RegisterCustomer", data: { customerId, name: "Ada Lovelace", email, address: home, ...overrides } }, { metadata });

const changeAddress = (customerId: string, address: Address, expectedVersion?: number) =>
  handler.changeAddress({ type: "ChangeCustomerAddress", data: { customerId, address } }, { metadata, expectedVersion });

const versionsOf = async (customerId: string) => (await eventStore.readStream(customerStreamId(customerId))).map((e) => e.version);

beforeAll(async () => {
  cql = await connectCassandra(stack.cassandra);
  await ensureKeyspace(cql, keyspace, 1);
  await ensureEventSourcingSchema(cql, keyspace);
  await ensureClaimsSchema(cql, keyspace, EMAIL_CLAIMS_TABLE);
  eventStore = createCassandraEventStore(cql, keyspace);
  claims = createCassandraClaims(cql, keyspace, EMAIL_CLAIMS_TABLE);
  handler = createCustomerCommandHandler({
    eventStore,
    append: (streamId, expectedVersion, events) => eventStore.append(streamId, expectedVersion, events),
    // Small, so the tests also load customers from snapshots.
    snapshots: createCassandraSnapshotStore(cql, keyspace),
    snapshotEvery: 2,
    onSnapshotError: (error) => {
      throw error;
    },
    claims,
  });
  es = connectElasticsearch(stack.elasticsearch);
  await ensureIndex(es, profiles);
});

afterAll(async () => {
  await cql?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cql?.shutdown();
  await es?.indices.delete({ index: `${alias}-*` }, { ignore: [404] });
  await es?.indices.deleteIndexTemplate({ name: alias }, { ignore: [404] });
  await es?.close();
});

describe("customer commands on the Cassandra event store", () => {
  it("lets exactly one of two concurrent registrations with the same email (in different case) through", async () => {
    const email = uniqueEmail();
    const [first, second] = [randomUUID(), randomUUID()];
    const outcomes = await Promise.allSettled([register(first, email.toUpperCase()), register(second, `  ${email} `)]);

    const won = outcomes.filter((o) => o.status === "fulfilled");
    const lost = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(AlreadyExistsError);
    expect((lost[0] as Error).message).toBe(`email ${email} is already taken`);

    const [winner, loser] = outcomes[0]?.status === "fulfilled" ? [first, second] : [second, first];
    expect(await versionsOf(winner)).toEqual([1]);
    expect(await versionsOf(loser)).toEqual([]);
    expect(await claims.ownerOf(email)).toBe(winner);
    const [stored] = await eventStore.readStream(customerStreamId(winner));
    expect(stored?.data).toMatchObject({ customerId: winner, email });
  });

  it("stores nothing and claims nothing for a registration with bad input", async () => {
    const customerId = randomUUID();
    const email = uniqueEmail();
    await expect(register(customerId, email, { name: " " })).rejects.toBeInstanceOf(ValidationError);
    expect(await versionsOf(customerId)).toEqual([]);
    expect(await claims.ownerOf(email)).toBeUndefined();
  });

  it("refuses another registration under an id, releasing the email that attempt claimed; takes a retry as done", async () => {
    const customerId = randomUUID();
    const email = uniqueEmail();
    await register(customerId, email);
    const other = uniqueEmail("other");
    await expect(register(customerId, other)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await claims.ownerOf(other)).toBeUndefined();
    expect(await claims.ownerOf(email)).toBe(customerId);
    // A retry with the same id and email is that registration again: done, nothing new, the claim kept.
    expect((await register(customerId, email)).version).toBe(1);
    expect(await claims.ownerOf(email)).toBe(customerId);
    expect(await versionsOf(customerId)).toEqual([1]);
  });

  it("changes an address at the expected version, refuses a stale one, and ignores a move to the same address", async () => {
    const customerId = randomUUID();
    await register(customerId, uniqueEmail());

    expect((await changeAddress(customerId, office, 1)).version).toBe(2);
    await expect(changeAddress(customerId, home, 1)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(changeAddress(customerId, home, 3)).rejects.toBeInstanceOf(ConcurrencyError);
    // A no-op with a stale version is still a conflict: the caller's view is out of date.
    await expect(changeAddress(customerId, office, 1)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await versionsOf(customerId)).toEqual([1, 2]);

    const same = await changeAddress(customerId, { ...office, city: " London " }, 2);
    expect(same).toMatchObject({ version: 2, events: [] });
    // Version 2 was a snapshot point (every 2 events): this one loads from the snapshot.
    expect((await changeAddress(customerId, home)).version).toBe(3);
    expect(await versionsOf(customerId)).toEqual([1, 2, 3]);
  });

  it("lets only one of two concurrent changes at the same expected version through", async () => {
    const customerId = randomUUID();
    await register(customerId, uniqueEmail());
    const outcomes = await Promise.allSettled([changeAddress(customerId, office, 1), changeAddress(customerId, { ...office, line2: "" }, 1)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []))[0]).toBeInstanceOf(ConcurrencyError);
    expect(await versionsOf(customerId)).toEqual([1, 2]);
  });
});

describe("customer profile projection on Elasticsearch", () => {
  it("keeps one document per customer at the stream's version, skips duplicates, and equals the fold of the event store", async () => {
    const customerId = randomUUID();
    const email = uniqueEmail("grace");
    await register(customerId, email.toUpperCase(), { name: " Grace Hopper " });
    await changeAddress(customerId, office);
    const events = await eventStore.readStream(customerStreamId(customerId));

    expect((await applyEvents(es, profiles, alias, events.slice(0, 1))).map((d) => d.outcome)).toEqual(["applied"]);
    expect((await applyEvents(es, profiles, alias, events)).map((d) => d.outcome)).toEqual(["duplicate", "applied"]);
    expect((await applyEvents(es, profiles, alias, events)).map((d) => d.outcome)).toEqual(["duplicate", "duplicate"]);

    const docs = await readDocuments<CustomerProfileDocument>(es, alias, [customerId]);
    const doc = docs.get(customerId);
    expect(doc?.version).toBe(2);
    expect(doc?.doc).toEqual({
      customerId,
      name: "Grace Hopper",
      email,
      address: office,
      registeredAt: events[0]?.recordedAt.toISOString(),
      updatedAt: events[1]?.recordedAt.toISOString(),
    });

    // Every customer of this keyspace into the index, then the read model must equal the fold.
    for await (const stream of eventStore.readAll()) await applyEvents(es, profiles, alias, stream);
    const report = await verifyProjection({ es, eventStore, projection: profiles });
    expect(report.mismatches).toEqual([]);
    expect(report.checked).toBeGreaterThanOrEqual(5);
  });

  it("refuses a document the strict mapping does not know", async () => {
    const index = (await es.indices.getAlias({ name: alias })) as Record<string, unknown>;
    const [concrete] = Object.keys(index);
    await expect(es.index({ index: concrete ?? alias, id: randomUUID(), document: { customerId: "x", nickname: "not in the mapping" } })).rejects.toThrow(
      /strict_dynamic_mapping_exception/,
    );
  });
});
