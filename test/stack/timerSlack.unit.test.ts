import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

/**
 * The stack starts Cassandra with a timer slack of its own (deploy/local/lib/cassandra.sh:
 * CASSANDRA_TIMER_SLACK_NS, docs/benchmarks.md §5p): start_detached writes LAUNCH_TIMER_SLACK_NS
 * to the launching subshell's /proc/self/timerslack_ns, and the server keeps it through the
 * execs. A shell that sleeps stands in for the server, an empty jar for Cassandra's download.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "bazaar-slack-"));
const cassandraLib = join(work, "cache", "cassandra-5.0.9", "lib");
mkdirSync(cassandraLib, { recursive: true });
writeFileSync(join(cassandraLib, "jamm-0.4.0.jar"), "");
const started: number[] = [];
afterAll(() => {
  for (const pid of started) spawnSync("kill", ["--", `-${pid}`]);
  rmSync(work, { recursive: true, force: true });
});

const bash = (script: string, env: Record<string, string> = {}) =>
  spawnSync("bash", ["-c", `set -euo pipefail; source '${root}deploy/local/lib/common.sh'; source '${root}deploy/local/lib/cassandra.sh'; ${script}`], {
    env: { ...process.env, BAZAAR_STATE_DIR: join(work, "state"), BAZAAR_CACHE_DIR: join(work, "cache"), CASSANDRA_VERSION: "5.0.9", ...env },
    encoding: "utf8",
  });

/** Starts a sleeper as the stack starts a server, with `slack` (empty: none asked) and returns its timer slack. */
const startSleeper = (name: string, slack: string) => {
  const result = bash(
    `${name}_launch_cmd() { LAUNCH_CMD=(sh -c 'sleep 30' "$STATE_DIR"); LAUNCH_TIMER_SLACK_NS='${slack}'; }; declare -A LAUNCHED; start_detached ${name}; cat "$RUN_DIR/${name}.pid"`,
  );
  expect(result.stderr).toBe("");
  const pid = Number(result.stdout.trim());
  started.push(pid);
  return Number(readFileSync(`/proc/${pid}/timerslack_ns`, "utf8"));
};

it("a server started with LAUNCH_TIMER_SLACK_NS runs with that timer slack; one without, with the caller's", () => {
  const callers = Number(readFileSync("/proc/self/timerslack_ns", "utf8"));
  expect(startSleeper("slow", "400000")).toBe(400_000);
  expect(startSleeper("plain", "")).toBe(callers);
});

it("Cassandra asks for 500 us unless CASSANDRA_TIMER_SLACK_NS says otherwise, and refuses a value that is not a number", () => {
  const asked = bash('cassandra_launch_cmd; echo "$LAUNCH_TIMER_SLACK_NS"');
  expect(asked.stderr).toBe("");
  expect(asked.stdout.trim()).toBe("500000");
  expect(bash('cassandra_launch_cmd; echo "[$LAUNCH_TIMER_SLACK_NS]"', { CASSANDRA_TIMER_SLACK_NS: "" }).stdout.trim()).toBe("[]");
  const refused = bash("cassandra_launch_cmd", { CASSANDRA_TIMER_SLACK_NS: "0.5ms" });
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain("CASSANDRA_TIMER_SLACK_NS='0.5ms' is not a positive number of ns");
});
