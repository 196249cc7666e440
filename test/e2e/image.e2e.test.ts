import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { root } from "./platform.js";

/**
 * The container image of the commit under test, built here with buildah (deploy/image/build.sh
 * --commit: cached base and layers; a changed commit rebuilds its npm ci and build, ~2–3 min on
 * this machine) and run from its own filesystem against the local stack (deploy/image/smoke.sh).
 */
const run = promisify(execFile);
const IMAGE = "localhost/bazaar:latest";
const sh = (script: string, args: string[] = [], timeout = 120_000) => run("bash", [`${root}${script}`, ...args], { timeout, maxBuffer: 64 * 1024 * 1024 });
const inspect = async (format: string) => (await run("buildah", ["inspect", "--type", "image", "--format", format, IMAGE])).stdout.trim();
const inImage = async (...command: string[]) => {
  const container = (await run("buildah", ["from", "--pull-never", IMAGE])).stdout.trim();
  try {
    return await run("buildah", ["run", "--isolation", "chroot", "--user", "10001:10001", container, "--", ...command]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? "" }),
    );
  } finally {
    await run("buildah", ["rm", container]);
  }
};

/** The commit built (taken before the build: in a shared work tree others may commit meanwhile). */
let built: string;

beforeAll(async () => {
  built = (await run("git", ["-C", root, "rev-parse", "HEAD"])).stdout.trim();
  await sh("deploy/image/build.sh", ["--commit", built], 900_000);
}, 900_000);

describe("the container image", () => {
  it("is the commit under test, runs as uid 10001 in /app through bazaar-entrypoint", async () => {
    expect(await inspect('{{index .OCIv1.Config.Labels "org.opencontainers.image.revision"}}')).toBe(built);
    expect(await inspect("{{.OCIv1.Config.User}} {{.OCIv1.Config.WorkingDir}} {{.OCIv1.Config.Entrypoint}}")).toBe(
      "10001:10001 /app [/usr/local/bin/bazaar-entrypoint]",
    );
  });

  it("holds production dependencies only, and its code is not writable by the process", async () => {
    // typescript and vitest are development dependencies of the repository: absent at runtime.
    expect(
      (
        await inImage(
          "node",
          "-e",
          "for (const m of ['typescript','vitest','turbo']) { try { require.resolve(m, { paths: ['/app'] }); console.log(m) } catch {} }",
        )
      ).stdout.trim(),
    ).toBe("");
    expect((await inImage("node", "-e", "require('fs').writeFileSync('/app/gateway/dist/main.js', '')")).code).not.toBe(0);
  });

  it("refuses an unknown process with a usage message", async () => {
    expect((await inImage("/usr/local/bin/bazaar-entrypoint", "billing")).code).toBe(64);
  });

  it("runs migrate, a context and the gateway from the image and passes a REST round trip", async () => {
    const { stdout } = await sh("deploy/image/smoke.sh", [IMAGE]);
    expect(stdout).toMatch(/smoke test passed in \d+ s: product [0-9a-f-]{36} created and read back through the gateway/);
  });
});
