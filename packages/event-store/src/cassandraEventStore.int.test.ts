import { stack, uniqueName } from "@bazaar/testing";
import type cassandra from "cassandra-driver";
import { afterAll, beforeAll } from "vitest";
import { connectCassandra, ensureKeyspace } from "./cassandra.js";
import { createCassandraEventStore, ensureEventStoreSchema } from "./cassandraEventStore.js";
import { eventStoreContract } from "./contract.js";

const keyspace = uniqueName("es_contract");
let client: cassandra.Client;

beforeAll(async () => {
  client = await connectCassandra(stack.cassandra);
  await ensureKeyspace(client, keyspace, 1);
  await ensureEventStoreSchema(client, keyspace);
});

afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
});

// Streams have unique ids, so tests share one keyspace; readAll assertions look only at their own streams.
eventStoreContract("Cassandra", async (options) => createCassandraEventStore(client, keyspace, options));
