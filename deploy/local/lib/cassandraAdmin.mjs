// Secures a fresh local Cassandra (single node or cluster) once its CQL port answers: the
// superuser every fresh node creates (cassandra/cassandra, a public default) is replaced by
// `bazaar_admin` with the password the stack generated into its secrets folder, then locked out
// (its password randomised, no login, no superuser). Idempotent: a node that already knows
// bazaar_admin is only checked. Auth data is kept on every node of a cluster (system_auth at the
// cluster's replication factor), so a login survives one node's loss.
//
//   node cassandraAdmin.mjs <contact point,…> <admin password file> <replication factor>
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { isBadCredentials, loadCassandraDriver } from "./cassandraDriver.mjs";

const cassandra = loadCassandraDriver("securing");

const [contactPoints, passwordFile, replication] = process.argv.slice(2);
const ADMIN = "bazaar_admin";
const adminPassword = readFileSync(passwordFile, "utf8").trim();
const DEADLINE = Date.now() + 90_000;
const literal = (text) => `'${text.replaceAll("'", "''")}'`;

const connect = async (username, password) => {
  const client = new cassandra.Client({
    contactPoints: contactPoints.split(","),
    localDataCenter: "datacenter1",
    authProvider: new cassandra.auth.PlainTextAuthProvider(username, password),
    socketOptions: { readTimeout: 20_000 },
  });
  await client.connect();
  return client;
};

/** Logs in, waiting out a node that is still creating its default role (or still starting). */
const login = async (username, password) => {
  for (;;) {
    try {
      return await connect(username, password);
    } catch (error) {
      if (Date.now() > DEADLINE) throw error;
      if (isBadCredentials(error) && username === ADMIN) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
};

/** system_auth on every node of a cluster; altered only when it is not yet (a schema change costs seconds). */
const authReplication = async (client) => {
  const row = (await client.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'system_auth'")).first();
  if (row?.get("replication")?.replication_factor === String(Number(replication))) return;
  await client.execute(`ALTER KEYSPACE system_auth WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${Number(replication)}}`);
};

let admin = await login(ADMIN, adminPassword);
if (admin) {
  await authReplication(admin);
  console.log(`cassandra: logins required; ${ADMIN} (password in ${passwordFile})`);
} else {
  const first = await login("cassandra", "cassandra");
  await authReplication(first);
  // Role statements take the password as a literal only (no bind marker).
  await first.execute(`CREATE ROLE IF NOT EXISTS ${ADMIN} WITH PASSWORD = ${literal(adminPassword)} AND SUPERUSER = true AND LOGIN = true`);
  await first.shutdown();
  admin = await login(ADMIN, adminPassword);
  if (!admin) throw new Error(`${ADMIN} was created but cannot log in`);
  await admin.execute(`ALTER ROLE cassandra WITH PASSWORD = ${literal(randomBytes(24).toString("hex"))} AND SUPERUSER = false AND LOGIN = false`);
  console.log(`cassandra: logins required; default superuser locked, ${ADMIN} created (password in ${passwordFile})`);
}
await admin.shutdown();
