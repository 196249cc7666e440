import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { repoRoot } from "./repoRoot.js";

const exec = promisify(execFile);

export const DATA_STORES = ["cassandra", "elasticsearch", "nats"] as const;
export type DataStore = (typeof DATA_STORES)[number];

/** Reads the servers' pids from `stack status` lines like `nats  running  pid 123  …  healthy`. */
export const parseStackStatus = (output: string): Partial<Record<DataStore, number>> => {
  const pids: Partial<Record<DataStore, number>> = {};
  for (const match of output.matchAll(/^(\S+)\s+running\s+pid (\d+)/gm)) {
    const name = match[1] as DataStore;
    if (DATA_STORES.includes(name)) pids[name] = Number(match[2]);
  }
  return pids;
};

/** The stack's pid file of a server (deploy/local/lib/common.sh: $STATE_DIR/run/<server>.pid). */
export const pidFileOf = (name: DataStore) => `${process.env.BAZAAR_STATE_DIR ?? `${repoRoot}.local`}/run/${name}.pid`;

/**
 * A data store's current launcher pid: its pid file if readable (a server restarted by someone
 * else's fault drill gets a new pid), else the pid it had at the start.
 */
export const currentStorePid = (name: DataStore, initial: number): number => {
  try {
    const pid = Number(readFileSync(pidFileOf(name), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : initial;
  } catch {
    return initial;
  }
};

const stack = (command: string) =>
  exec("bash", [`${repoRoot}deploy/local/stack`, command], { cwd: repoRoot, maxBuffer: 1 << 20 }).then(
    ({ stdout }) => ({ ok: true, stdout }),
    (error: { stdout?: string }) => ({ ok: false, stdout: error.stdout ?? "" }),
  );

/**
 * Brings the local data stores up unless all are healthy already (`stack up` is idempotent) and
 * returns their launcher pids, whose process trees the CPU sampler sums.
 */
export const ensureDataStores = async (log: (line: string) => void): Promise<Record<DataStore, number>> => {
  let status = await stack("status");
  // Others on this machine run fault drills against the same stores: a server that is down may
  // be restarting on its own, so wait a minute before starting anything.
  for (let waited = 0; !status.ok && waited < 60_000; waited += 5_000) {
    log("data stores not all healthy, waiting");
    await new Promise((r) => setTimeout(r, 5_000));
    status = await stack("status");
  }
  if (!status.ok) {
    log("data stores not all healthy: bash deploy/local/stack up");
    const up = await stack("up");
    log(up.stdout.trim());
    status = await stack("status");
    if (!status.ok) throw new Error(`the data stores did not come up:\n${status.stdout}`);
  }
  const pids = parseStackStatus(status.stdout);
  const missing = DATA_STORES.filter((name) => pids[name] === undefined);
  if (missing.length > 0) throw new Error(`no pid for ${missing.join(", ")} in stack status:\n${status.stdout}`);
  return pids as Record<DataStore, number>;
};
