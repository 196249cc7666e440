import { connectCassandra, ensureKeyspace } from "@bazaar/event-store";
import { connectNats } from "@bazaar/messaging";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";
import { stack, uniqueName } from "./stack.js";

/** Creates tables in a keyspace: the event store's (`ensureEventSourcingSchema`), a reactor's checkpoints… */
export type KeyspaceSchema = (client: cassandra.Client, keyspace: string) => Promise<void>;

/** An integration test's own keyspace on the stack's Cassandra, and a NATS connection to the stack. */
export interface TestStores {
  keyspace: string;
  cassandra: cassandra.Client;
  nats: NatsConnection;
  jsm: JetStreamManager;
  /** Drops the keyspace and closes both connections (the test deletes the streams it made). */
  close(): Promise<void>;
}

/**
 * Connects to the local stack as its admin, creates a keyspace named after `name` that no other
 * run uses, with `schemas` in it, and connects to NATS as `<name>-test`.
 */
export const openTestStores = async (name: string, schemas: readonly KeyspaceSchema[]): Promise<TestStores> => {
  const keyspace = uniqueName(name);
  const client = await connectCassandra(stack.cassandra);
  await ensureKeyspace(client, keyspace, 1);
  for (const schema of schemas) await schema(client, keyspace);
  const nats = await connectNats({ ...stack.nats, name: `${name}-test` });
  return {
    keyspace,
    cassandra: client,
    nats,
    jsm: await jetstreamManager(nats),
    async close() {
      await nats.close();
      // Schema changes wait for every table to flush: seconds on a busy machine, past the default timeout.
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`, [], { readTimeout: 60_000 });
      await client.shutdown();
    },
  };
};
