// The stack's Cassandra health probe (cassandra.sh's cassandra_probe): logs in to one node with the
// driver the services use and runs `SELECT release_version FROM system.local` there, so healthy
// means a client can log in and read, not only that the port answers. The login is the stack's
// bazaar_admin when its password file exists, else (or when the node does not know it yet: a fresh
// node, before cassandraAdmin.mjs ran) the node's default superuser; with auth off, any login passes.
// Prints one line, the version or why not; exits 0 healthy, 1 not, 3 when the driver is missing.
//
//   node cassandraProbe.mjs <host:port> [admin password file]
import { existsSync, readFileSync } from "node:fs";
import { isBadCredentials, loadCassandraDriver } from "./cassandraDriver.mjs";

const cassandra = loadCassandraDriver("the health probe");

const [target, passwordFile] = process.argv.slice(2);
const TIMEOUT_MS = 5_000;

const adminPassword = passwordFile && existsSync(passwordFile) ? readFileSync(passwordFile, "utf8").trim() : "";
const logins = [...(adminPassword ? [["bazaar_admin", adminPassword]] : []), ["cassandra", "cassandra"]];

/** The node's release version, read as `username`; only `target` is asked (not the peers it knows). */
const releaseVersion = async ([username, password]) => {
  const client = new cassandra.Client({
    contactPoints: [target],
    localDataCenter: "datacenter1",
    authProvider: new cassandra.auth.PlainTextAuthProvider(username, password),
    policies: {
      loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(new cassandra.policies.loadBalancing.DCAwareRoundRobinPolicy("datacenter1"), [
        target,
      ]),
    },
    socketOptions: { connectTimeout: TIMEOUT_MS, readTimeout: TIMEOUT_MS },
    isMetadataSyncEnabled: false,
  });
  try {
    const row = (await client.execute("SELECT release_version FROM system.local")).first();
    return String(row?.get("release_version"));
  } finally {
    await client.shutdown().catch(() => {});
  }
};

/** Why, in one line: a NoHostAvailableError's per-host error rather than its summary; whether the node answered at all. */
const failureOf = (error) => {
  const cause = Object.values(error?.innerErrors ?? {})[0] ?? error;
  const reason = String(cause?.message ?? cause).split("\n")[0];
  // A server error (e.g. system_auth unavailable while a cluster starts) is an answer; a socket error or timeout is none.
  return cause instanceof cassandra.errors.ResponseError
    ? `${target} answers CQL but failed the login or the read: ${reason}`
    : `no CQL answer from ${target}: ${reason}`;
};

/**
 * A login the node cannot check yet because too few of its peers are up: the roles are read at
 * LOCAL_QUORUM, so a restarted cluster's first node cannot log anyone in until a second one runs —
 * which starts only once this one is healthy. The node answers CQL: that is healthy enough here.
 */
const awaitingPeers = (error) =>
  /Cannot achieve consistency level/i.test(String(Object.values(error?.innerErrors ?? {})[0]?.message ?? error?.message ?? error));

const refused = [];
for (const login of logins) {
  try {
    console.log(`Cassandra ${await releaseVersion(login)} on ${target} (as ${login[0]})`);
    process.exit(0);
  } catch (error) {
    if (awaitingPeers(error)) {
      console.log(`${target} answers CQL; it cannot check logins until more of its peers are up (roles are read at LOCAL_QUORUM)`);
      process.exit(0);
    }
    if (!isBadCredentials(error)) {
      console.log(failureOf(error));
      process.exit(1);
    }
    refused.push(login[0]);
  }
}
const hint = adminPassword
  ? `: does ${passwordFile} hold this node's admin password?`
  : ` (no admin password in ${passwordFile || "(none given)"}): a fresh node may still be creating its default superuser`;
console.log(`${target} answers CQL but refuses the logins ${refused.join(" and ")}${hint}`);
process.exit(1);
