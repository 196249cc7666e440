import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

/**
 * Jaeger is the stack's one optional server (deploy/local/lib/jaeger.sh): a failed build is
 * remembered, and `stack status` does not fail for a Jaeger that was never built, so Cassandra,
 * NATS and Elasticsearch keep working without traces. A `go` that always fails stands in for a
 * broken build; nothing is downloaded or started.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "bazaar-jaeger-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const fakeBin = join(work, "bin");
mkdirSync(fakeBin);
writeFileSync(join(fakeBin, "go"), '#!/bin/sh\necho "go: simulated failure ($*)" >&2\nexit 1\n');
chmodSync(join(fakeBin, "go"), 0o755);
const cache = join(work, "cache");

const stack = (...args: string[]) =>
  spawnSync("bash", [`${root}deploy/local/stack`, ...args], {
    env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH ?? ""}`, BAZAAR_CACHE_DIR: cache, BAZAAR_STATE_DIR: join(work, "state"), PROGRESS_EVERY: "1" },
    encoding: "utf8",
  });

it("a failed build fails `stack fetch jaeger` and is remembered for its version", () => {
  const fetched = stack("fetch", "jaeger");
  expect(fetched.status).not.toBe(0);
  expect(fetched.stderr).toMatch(/jaeger: build of v[\d.]+ failed/);
  const version = /build of (v[\d.]+) failed/.exec(fetched.stderr)?.[1] ?? "";
  expect(existsSync(join(cache, "bin", `jaeger-${version}.build-failed`))).toBe(true);
  expect(existsSync(join(cache, "bin", `jaeger-${version}`))).toBe(false);
});

it("`stack status jaeger` reports an unbuilt Jaeger without failing", () => {
  const status = stack("status", "jaeger");
  expect(status.stdout).toMatch(/^jaeger\s+unbuilt\s+OTLP http:\/\/127\.0\.0\.1:4318/m);
  expect(status.status).toBe(0);
});

it("`stack status` still fails for a required server that is stopped", () => {
  const status = stack("status");
  expect(status.stdout).toMatch(/^nats\s+stopped/m);
  expect(status.status).not.toBe(0);
});
