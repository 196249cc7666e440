import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

/**
 * The stack's Cassandra probe (deploy/local/lib/cassandraProbe.mjs) without a Cassandra: it
 * answers in one line and exits 1 when nothing speaks CQL, and says what is missing (exit 3)
 * before `npm ci`. Its login against the running stack is what `stack status` and `stack up` use.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "bazaar-cassandra-probe-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const probe = (script: string, target: string) =>
  spawnSync(process.execPath, [script, target, join(work, "no-such-password-file")], { encoding: "utf8", timeout: 20_000 });

/** A loopback port nothing listens on (taken, then released). */
const closedPort = async () => {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

it("exits 1 with one line naming the address when nothing answers CQL there", async () => {
  const target = `127.0.0.1:${await closedPort()}`;
  const result = probe(`${root}deploy/local/lib/cassandraProbe.mjs`, target);
  expect(result.status).toBe(1);
  expect(result.stdout.trim().split("\n")).toEqual([expect.stringContaining(`no CQL answer from ${target}: connect ECONNREFUSED`)]);
});

it("says that the driver is missing, and to run npm ci, in a checkout without node_modules (exit 3)", () => {
  cpSync(`${root}deploy/local/lib`, join(work, "deploy/local/lib"), { recursive: true });
  const result = probe(join(work, "deploy/local/lib/cassandraProbe.mjs"), "127.0.0.1:9042");
  expect(result.status).toBe(3);
  expect(result.stdout.trim()).toBe(`cassandra: the health probe needs cassandra-driver from ${work}/node_modules, which is not installed: run npm ci first`);
});
