import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
/** The local stack's Cassandra and NATS admin logins (deploy/local/stack generates their passwords), for the processes tests start. */
const secret = (name: string) => `${process.env.BAZAAR_STATE_DIR ?? `${root}.local`}/secrets/${name}`;
const login = (name: string, user: string, password: string) =>
  existsSync(secret(name)) ? { [user]: "bazaar_admin", [password]: readFileSync(secret(name), "utf8").trim() } : {};
const stackLogin = { ...login("cassandra-admin", "CASSANDRA_USERNAME", "CASSANDRA_PASSWORD"), ...login("nats-admin", "NATS_USER", "NATS_PASSWORD") };

/**
 * Tiers by file suffix: `.unit.test.ts` (pure, no servers), `.int.test.ts` (real Cassandra,
 * NATS, Elasticsearch), `.e2e.test.ts` (the built processes, over HTTP).
 * Workspace packages resolve to their sources, so tests never run against a stale build.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@bazaar\/(catalog|customer|inventory|ordering)\/(.+)$/, replacement: `${root}services/$1/src/$2/index.ts` },
      { find: /^@bazaar\/gateway\/(.+)$/, replacement: `${root}gateway/src/$1.ts` },
      { find: /^@bazaar\/([a-z-]+)\/(.+)$/, replacement: `${root}packages/$1/src/$2.ts` },
      { find: /^@bazaar\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  test: {
    // `npm test` is a development run: processes the tests start may use the built-in secrets
    // (a test that proves the refusal outside it sets BAZAAR_MODE=production itself).
    env: { BAZAAR_MODE: "development", ...stackLogin },
    projects: [
      { extends: true, test: { name: "unit", include: ["**/src/**/*.unit.test.ts", "test/**/*.unit.test.ts"], exclude: ["**/node_modules/**", "**/dist/**"] } },
      {
        extends: true,
        test: {
          name: "int",
          include: ["**/src/**/*.int.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
