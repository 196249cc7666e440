import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

/**
 * scripts/prerequisites.sh with Go off the PATH: a prerequisite while nats-server still has to be
 * built (stop, say what it is for and how to install it), only a warning once it is cached.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "bazaar-prereq-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const pathWithoutGo = (process.env.PATH ?? "")
  .split(":")
  .filter((dir) => dir && !existsSync(join(dir, "go")))
  .join(":");

const check = (cacheDir: string) =>
  spawnSync("bash", ["-c", `source "${root}scripts/prerequisites.sh" && check_prerequisites test`], {
    env: { ...process.env, PATH: pathWithoutGo, BAZAAR_CACHE_DIR: cacheDir },
    encoding: "utf8",
  });

it("stops before fetching when Go is missing and nats-server is not built", () => {
  const result = check(join(work, "empty-cache"));
  expect(result.stdout).toMatch(/MISS\s+Go >= 1\.24\s+not found/);
  expect(result.stdout).toMatch(/for: building nats-server/);
  expect(result.stdout).toMatch(/install: .*apt-get install golang-go/);
  expect(result.stderr).toMatch(/prerequisite\(s\) missing: nothing was fetched or started/);
  expect(result.status).not.toBe(0);
});

it("only warns about Go once nats-server is in the cache", () => {
  const cache = join(work, "cache-with-nats");
  mkdirSync(join(cache, "bin"), { recursive: true });
  const version = /NATS_VERSION="\$\{NATS_VERSION:-(v[\d.]+)\}"/.exec(spawnSync("cat", [`${root}deploy/local/lib/nats.sh`], { encoding: "utf8" }).stdout)?.[1];
  writeFileSync(join(cache, "bin", `nats-server-${version}`), "");
  chmodSync(join(cache, "bin", `nats-server-${version}`), 0o755);
  const result = check(cache);
  expect(result.stdout).toMatch(/warn\s+Go >= 1\.24\s+not found; not needed now/);
  expect(result.stdout).not.toMatch(/MISS\s+Go/);
  // Jaeger (optional: the stack starts without it) is not in this cache: Go missing only warns for it.
  expect(result.stdout).toMatch(/warn\s+Go >= 1\.24\s+not found: Jaeger v[\d.]+ is not built, so the stack runs without traces/);
});
