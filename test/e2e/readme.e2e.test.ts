import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseWalkthrough, verifyCalls, type Call, type Walkthrough } from "../readme/walkthrough.js";
import { bearer } from "./auth.js";
import { startWholePlatform, type WholePlatform } from "./contexts.js";
import { root } from "./platform.js";

/**
 * The README's walkthrough (the annotated shell block under "## Two commands") runs as written,
 * with bash, against the whole platform, and every curl answers as its `# → …` annotation says.
 * Only the two lines a reader fills in are replaced: the token and the API base.
 */
let platform: WholePlatform;
let work: string;

beforeAll(async () => {
  // One client making every call, some of them retried reads: far below the default limit, but
  // the limit is per subject and the e2e token's subject is shared with other tests' gateways.
  platform = await startWholePlatform({ RATE_LIMIT_LIMIT: "1000000" });
  work = await mkdtemp(join(tmpdir(), "bazaar-readme-"));
});

afterAll(async () => {
  await platform?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The walkthrough as a script: the reader's two lines replaced (each must be there, once), line for line. */
const scriptOf = (walkthrough: Walkthrough) => {
  const replaced = { token: 0, api: 0 };
  const lines = walkthrough.lines.map((line) => {
    if (/^export TOKEN=/.test(line)) return (replaced.token++, ": TOKEN is set by the test");
    if (/^api=/.test(line)) return (replaced.api++, 'api="$WALKTHROUGH_API"');
    return line;
  });
  expect(replaced, "the walkthrough sets TOKEN and api once each").toEqual({ token: 1, api: 1 });
  return lines.join("\n") + "\n";
};

const run = (script: string, env: Record<string, string>) =>
  new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    // -e and pipefail: a step that fails outright (jq on a non-JSON answer, a missing tool) stops the walkthrough.
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd: work, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });

const recordedCalls = async (dir: string): Promise<Call[]> => {
  const calls: Call[] = [];
  for (const name of await readdir(dir)) {
    const read = (file: string) => readFile(join(dir, name, file), "utf8").catch(() => "");
    calls.push({ scriptLine: Number(await read("line")), status: Number((await read("status")) || 0), body: await read("body") });
  }
  return calls.sort((a, b) => a.scriptLine - b.scriptLine);
};

it("every call of the README walkthrough answers as annotated", async () => {
  const walkthrough = parseWalkthrough(await readFile(`${root}README.md`, "utf8"), "Two commands");
  const script = join(work, "walkthrough.sh");
  await writeFile(script, scriptOf(walkthrough));
  const calls = join(work, "calls");
  await rm(calls, { recursive: true, force: true });
  await mkdir(calls);

  const started = performance.now();
  const { code, output } = await run(script, {
    BASH_ENV: `${root}test/readme/curlRecorder.sh`,
    TOKEN: bearer.replace(/^Bearer /, ""),
    WALKTHROUGH_API: platform.base,
    WALKTHROUGH_CALLS: calls,
  });
  const seconds = (performance.now() - started) / 1000;
  const recorded = await recordedCalls(calls);
  console.log(`README walkthrough: ${recorded.length} calls (${walkthrough.expectations.length} annotated) in ${seconds.toFixed(1)} s, bash exit ${code}`);

  expect(verifyCalls(walkthrough, recorded).join("\n\n"), "calls that did not answer as annotated").toBe("");
  expect(code, `the walkthrough script failed:\n${output.slice(-2000)}`).toBe(0);
  expect(recorded.length).toBe(walkthrough.expectations.length);
});
