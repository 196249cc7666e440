import { connectCassandra } from "@bazaar/event-store";
import { connectElasticsearch } from "@bazaar/projections";
import { stack } from "@bazaar/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

/** Removes a namespace's keyspaces, indices, index templates and streams from the servers. */
export const cleanupNamespace = async (namespace: string, keyspaces: string[]): Promise<void> => {
  const cql = await connectCassandra(stack.cassandra);
  for (const keyspace of keyspaces) await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cql.shutdown();
  const es = connectElasticsearch(stack.elasticsearch);
  await es.indices.delete({ index: `${namespace}-*` }, { ignore: [404] });
  await es.indices.deleteIndexTemplate({ name: `${namespace}-*` }, { ignore: [404] });
  await es.close();
  const nc = await connect({ servers: stack.nats.servers });
  const jsm = await jetstreamManager(nc);
  for await (const info of jsm.streams.list()) if (info.config.name.startsWith(`${namespace.toUpperCase()}_`)) await jsm.streams.delete(info.config.name);
  await nc.close();
};
