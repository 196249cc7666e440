/**
 * Prints the running paxos_variant from system_views.settings and whether it can be changed
 * at runtime with an UPDATE of that virtual table (it is tried, then put back).
 * Only meant for the throwaway Cassandra of cassandraVariants.sh (CASSANDRA_PORT).
 */
import { connectCassandra } from "@bazaar/event-store";
import { stack } from "@bazaar/testing";

const client = await connectCassandra(stack.cassandra);
try {
  const read = async () => (await client.execute("SELECT value FROM system_views.settings WHERE name = 'paxos_variant'")).first()?.get("value") as string;
  const before = await read();
  console.log(`paxos_variant (system_views.settings): ${before}`);
  const other = before === "v1" ? "v2" : "v1";
  try {
    await client.execute(`UPDATE system_views.settings SET value = '${other}' WHERE name = 'paxos_variant'`);
    console.log(`runtime switch via UPDATE system_views.settings: accepted, now ${await read()}; putting ${before} back`);
    await client.execute(`UPDATE system_views.settings SET value = '${before}' WHERE name = 'paxos_variant'`);
  } catch (error) {
    console.log(`runtime switch via UPDATE system_views.settings: refused (${(error as Error).message})`);
  }
} finally {
  await client.shutdown();
}
