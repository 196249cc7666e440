import { connectCassandra, OUTBOX_TABLE } from "@bazaar/event-store";
import { connectElasticsearch } from "@bazaar/projections";
import { connectStoresNats, stack, waitFor, type Stores } from "@bazaar/testing";
import { jetstreamManager } from "@nats-io/jetstream";

/** Removes a namespace's keyspaces, indices, index templates and streams from the servers. */
export const cleanupNamespace = async (namespace: string, keyspaces: string[], stores: Stores = stack): Promise<void> => {
  const cql = await connectCassandra(stores.cassandra);
  // Schema changes wait for every table to flush: seconds on a busy machine, past the default timeout.
  for (const keyspace of keyspaces) await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`, [], { readTimeout: 60_000 });
  await cql.shutdown();
  const es = connectElasticsearch(stores.elasticsearch);
  await es.indices.delete({ index: `${namespace}-*` }, { ignore: [404] });
  await es.indices.deleteIndexTemplate({ name: `${namespace}-*` }, { ignore: [404] });
  await es.close();
  const nc = await connectStoresNats(stores);
  const jsm = await jetstreamManager(nc);
  for await (const info of jsm.streams.list()) if (info.config.name.startsWith(`${namespace.toUpperCase()}_`)) await jsm.streams.delete(info.config.name);
  await nc.close();
};

/**
 * Waits until a namespace is quiescent — nothing waiting for publication in its keyspaces'
 * outboxes, nothing undelivered or unacknowledged on its consumers — the moment invariant 4
 * speaks of ("after quiescence every read model equals the fold of the event store").
 */
export const quiescence = async (namespace: string, keyspaces: string[], timeoutMs = 60_000, stores: Stores = stack): Promise<void> => {
  const cql = await connectCassandra(stores.cassandra);
  const nc = await connectStoresNats(stores);
  const jsm = await jetstreamManager(nc);
  try {
    await waitFor(
      `namespace ${namespace} quiescent`,
      async () => {
        // Each check throws what it saw, so a timeout says what never settled.
        for (const keyspace of keyspaces) {
          const tables = await cql.execute(`SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = '${OUTBOX_TABLE}'`, [
            keyspace,
          ]);
          if (tables.rowLength === 0) continue;
          const rows = (await cql.execute(`SELECT stream_id, first_version, created_at FROM ${keyspace}.${OUTBOX_TABLE} LIMIT 5`)).rows;
          if (rows.length > 0)
            throw new Error(
              `${keyspace} has rows pending publication, e.g. ${rows.map((r) => `${r.get("stream_id")}@${r.get("first_version")} (${(r.get("created_at") as Date).toISOString()})`).join(", ")}`,
            );
        }
        for await (const stream of jsm.streams.list()) {
          if (!stream.config.name.startsWith(`${namespace.toUpperCase()}_`)) continue;
          for await (const consumer of jsm.consumers.list(stream.config.name)) {
            // Ephemeral consumers (a reader's, a rebuild's catch-up) come and go with their owner.
            if (!consumer.config.durable_name) continue;
            if (consumer.num_pending > 0 || consumer.num_ack_pending > 0)
              throw new Error(
                `consumer ${consumer.name}: ${consumer.num_pending} undelivered, ${consumer.num_ack_pending} unacknowledged, ${consumer.num_redelivered} redelivered`,
              );
          }
        }
        return true;
      },
      { timeoutMs, intervalMs: 200 },
    );
  } finally {
    await nc.close();
    await cql.shutdown();
  }
};
