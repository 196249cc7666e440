import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

/**
 * How the stack tells a running server from a stopped one (deploy/local/lib/common.sh: server_pid):
 * the pid in the server's pid file, alive, with the state directory in its command line. A server
 * that is still exec'ing its way from the launcher to the server's own command must not be taken
 * for dead — the stack would start a second one next to it (a CI run once did: two NATS, one
 * holding the ports) — and a killed server nobody reaped yet must not be taken for alive.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "bazaar-pid-"));
const state = join(work, "state");
const runDir = join(state, "run");
mkdirSync(runDir, { recursive: true });
const started: number[] = [];
afterAll(() => {
  for (const pid of started) spawnSync("kill", ["-KILL", "--", `-${pid}`]);
  rmSync(work, { recursive: true, force: true });
});

/** Starts `script` under sh in a group of its own, with the state directory in $D only (not in its command line). */
const launch = (script: string) => {
  const child = spawn("sh", ["-c", script], { env: { ...process.env, D: state }, detached: true, stdio: ["ignore", "pipe", "ignore"] });
  started.push(child.pid!);
  return child;
};

const serverPid = (name: string, pid: number) => {
  writeFileSync(join(runDir, `${name}.pid`), `${pid}\n`);
  const t0 = performance.now();
  const result = spawnSync("bash", ["-c", `set -euo pipefail; source '${root}deploy/local/lib/common.sh'; server_pid ${name}`], {
    env: { ...process.env, BAZAAR_STATE_DIR: state, BAZAAR_CACHE_DIR: join(work, "cache") },
    encoding: "utf8",
  });
  return { ...result, ms: performance.now() - t0, pidFileKept: existsSync(join(runDir, `${name}.pid`)) };
};

it("a server whose command line names the state directory only after a moment of exec'ing is running, and keeps its pid file", () => {
  const child = launch(`sleep 0.4; exec sh -c 'sleep 30' "$D"`);
  const result = serverPid("execing", child.pid!);
  expect(result.stderr).toBe("");
  expect(result.stdout.trim()).toBe(String(child.pid));
  expect(result.pidFileKept).toBe(true);
});

it("a live process that never names the state directory (a recycled pid) is not ours: stopped, its pid file removed", () => {
  const child = launch("exec sleep 30");
  const result = serverPid("recycled", child.pid!);
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.pidFileKept).toBe(false);
});

it("a killed server its parent has not reaped (a zombie) is stopped at once", async () => {
  // The parent execs into a sleep that never waits for its child, so the killed child stays a zombie.
  const parent = launch(`sh -c 'sleep 30' "$D" & echo $!; exec sleep 30`);
  const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once("data", (data: Buffer) => resolve(data.toString()))));
  expect(serverPid("zombie", pid).status).toBe(0);
  process.kill(pid, "SIGKILL");
  await new Promise((resolve) => setTimeout(resolve, 200));
  const result = serverPid("zombie", pid);
  expect(result.status).toBe(1);
  expect(result.pidFileKept).toBe(false);
  expect(result.ms).toBeLessThan(500);
});
