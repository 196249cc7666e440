import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScript } from "./testing/testKit.js";

describe("--exec-at", () => {
  it(
    "runs shell commands at their offset after setup, logs exit code and duration, survives failures, skips ones past the end",
    { timeout: 10_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "k6runner-execat-"));
      try {
        const marker = join(dir, "marker");
        const run = await runScript(
          `export const options = { scenarios: { s: { executor: "constant-vus", vus: 1, duration: "600ms" } } };
export async function setup() { await new Promise((resolve) => setTimeout(resolve, 300)); }
export default async function () {}`,
          {
            config: {
              execAt: [
                { atMs: 200, command: `echo ran > ${marker}` },
                { atMs: 300, command: "exit 3" },
                { atMs: 60_000, command: "echo never" },
              ],
            },
          },
        );
        expect(run.exitCode).toBe(0);
        expect(await readFile(marker, "utf8")).toBe("ran\n");
        expect(run.stderr).toMatch(/exec-at 0\.2s \(at 0\.2\ds\): echo ran/);
        expect(run.stderr).toMatch(/exec-at 0\.3s: exited 3 after \d+ ms: exit 3/);
        expect(run.stderr).toMatch(/exec-at 60s: not run, the scenarios ended first: echo never/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
