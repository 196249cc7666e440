import { jetstreamManager } from "@nats-io/jetstream";
import cassandra from "cassandra-driver";
import { connectStoresNats, stack } from "./stack.js";

/**
 * Drops what a namespace created on the servers: its keyspaces, its Elasticsearch indices and
 * index templates (`<namespace>-*`) and its JetStream streams (`<NAMESPACE>_*`). The same as
 * test/e2e/cleanup.ts, which is test code and not importable from a built package.
 */
export const dropNamespace = async (namespace: string, keyspaces: readonly string[]): Promise<void> => {
  const { contactPoints, localDataCenter, username, password } = stack.cassandra;
  const cql = new cassandra.Client({
    contactPoints,
    localDataCenter,
    ...(username ? { authProvider: new cassandra.auth.PlainTextAuthProvider(username, password ?? "") } : {}),
  });
  try {
    for (const keyspace of keyspaces) await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } finally {
    await cql.shutdown();
  }
  const es = stack.elasticsearch.node;
  for (const path of [`/${namespace}-*`, `/_index_template/${namespace}-*`]) {
    const response = await fetch(`${es}${path}`, { method: "DELETE" });
    if (!response.ok && response.status !== 404) throw new Error(`DELETE ${path}: ${response.status} ${await response.text()}`);
  }
  const nc = await connectStoresNats(stack);
  try {
    const jsm = await jetstreamManager(nc);
    for await (const info of jsm.streams.list()) if (info.config.name.startsWith(`${namespace.toUpperCase()}_`)) await jsm.streams.delete(info.config.name);
  } finally {
    await nc.close();
  }
};
