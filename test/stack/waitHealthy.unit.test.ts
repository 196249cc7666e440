import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

/**
 * `stack up` waits for each server's probe until its health timeout (deploy/local/lib/common.sh:
 * wait_healthy). A probe that cannot succeed however long one waits — Cassandra's, before `npm ci`
 * installed the driver it logs in with — fails the wait at once with its reason, instead of after
 * the timeout (90 s for Cassandra) with the same reason.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "bazaar-wait-"));
const started: number[] = [];
afterAll(() => {
  for (const pid of started) spawnSync("kill", ["--", `-${pid}`]);
  rmSync(work, { recursive: true, force: true });
});

/** Runs `script` with the stack's helpers (and `server`'s module, if any) from `lib`. */
const bash = (script: string, lib = `${root}deploy/local/lib`, module = "") =>
  spawnSync("bash", ["-c", `set -euo pipefail; STACK_DIR='${lib}/..'; source '${lib}/common.sh'; ${module && `source '${lib}/${module}';`} ${script}`], {
    env: { ...process.env, BAZAAR_STATE_DIR: join(work, "state"), BAZAAR_CACHE_DIR: join(work, "cache") },
    encoding: "utf8",
    timeout: 30_000,
  });

/** A sleeper started as the stack starts a server, with `probe` as its health probe and 20 s to pass it. */
const waitFor = (probe: string) => {
  const t0 = performance.now();
  const result = bash(
    `fake_launch_cmd() { LAUNCH_CMD=(sh -c 'sleep 30' "$STATE_DIR"); }; fake_probe() { ${probe}; }; FAKE_HEALTH_TIMEOUT=20
     T_START[fake]="$(now)"; start_detached fake; cat "$RUN_DIR/fake.pid" >&2; wait_healthy fake`,
  );
  started.push(Number(/^(\d+)$/m.exec(result.stderr)?.[1]));
  return { ...result, ms: performance.now() - t0 };
};

it("a probe that returns 2 (waiting cannot help) fails the wait at once, with its reason", () => {
  const result = waitFor('PROBE_ERR="the driver is not installed: run npm ci first"; return 2');
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("error: fake failed to become healthy: its probe cannot succeed as things are, waiting would not help");
  expect(result.stderr).toContain("last probe error: the driver is not installed: run npm ci first");
  expect(result.ms).toBeLessThan(5_000);
});

it("a probe that returns 1 is asked again until it passes", () => {
  const result = waitFor('[[ -e "$STATE_DIR/ready" ]] || { touch "$STATE_DIR/ready"; PROBE_ERR="not yet"; return 1; }');
  expect(result.stderr).not.toContain("error:");
  expect(result.status).toBe(0);
});

it("Cassandra's probe says 2 in a checkout without node_modules (the driver is missing), 1 when the node does not answer", () => {
  cpSync(`${root}deploy/local/lib`, join(work, "checkout/deploy/local/lib"), { recursive: true });
  const bare = bash('cassandra_probe || echo "rc=$? $PROBE_ERR"', join(work, "checkout/deploy/local/lib"), "cassandra.sh");
  expect(bare.stdout).toContain("rc=2 cassandra: the health probe needs cassandra-driver");
  const installed = bash('CASSANDRA_PORT=1; cassandra_probe || echo "rc=$?"', `${root}deploy/local/lib`, "cassandra.sh");
  expect(installed.stdout.trim()).toBe("rc=1");
});
