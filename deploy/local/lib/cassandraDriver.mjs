// The project's cassandra-driver for the stack's Node scripts (cassandraAdmin.mjs, cassandraProbe.mjs):
// the same driver the services use, from the root node_modules. The stack itself is bash and may run
// before `npm ci` (`npm run doctor`); then the scripts say what is missing and exit 3.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** cassandra-driver, or exit 3 with one line saying that `purpose` needs `npm ci` first. */
export const loadCassandraDriver = (purpose) => {
  try {
    return createRequire(`${root}package.json`)("cassandra-driver");
  } catch {
    console.log(`cassandra: ${purpose} needs cassandra-driver from ${root}node_modules, which is not installed: run npm ci first`);
    process.exit(3);
  }
};

/** Whether a driver error (or one of a NoHostAvailableError's per-host errors) is a refused login. */
export const isBadCredentials = (error) =>
  error?.name === "AuthenticationError" ||
  /authentication|credentials|password/i.test(String(error?.message ?? error)) ||
  Object.values(error?.innerErrors ?? {}).some(isBadCredentials);
