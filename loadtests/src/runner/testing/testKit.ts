import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTest, type RunConfig } from "../run.js";
import type { SummaryData } from "../summary.js";

/** An in-process HTTP server for runner tests: echoes the request as JSON; `?delay=ms` and `?status=n` shape the answer. */
export interface EchoServer {
  readonly url: string;
  /** Requests received so far. */
  requests: number;
  /** The most requests in progress at once. */
  maxConcurrent: number;
  close(): Promise<void>;
}

export const startEchoServer = async (defaults: { delayMs?: number } = {}): Promise<EchoServer> => {
  let inProgress = 0;
  const state = { requests: 0, maxConcurrent: 0 };
  const server: Server = createServer((request, response) => {
    state.requests += 1;
    inProgress += 1;
    state.maxConcurrent = Math.max(state.maxConcurrent, inProgress);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const query = new URL(request.url ?? "/", "http://localhost").searchParams;
      const delayMs = Number(query.get("delay") ?? defaults.delayMs ?? 0);
      setTimeout(() => {
        inProgress -= 1;
        response.statusCode = Number(query.get("status") ?? 200);
        response.setHeader("content-type", "application/json");
        response.setHeader("x-echo-method", request.method ?? "");
        response.end(JSON.stringify({ method: request.method, url: request.url, body: Buffer.concat(chunks).toString("utf8"), headers: request.headers }));
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
};

/** One JSON-lines record of `--out json`. */
export interface JsonLine {
  type: "Metric" | "Point";
  metric: string;
  data: { time?: string; value?: number; tags?: Record<string, string>; name?: string; type?: string; contains?: string; thresholds?: string[] };
}

export interface ScriptRun {
  readonly exitCode: number;
  readonly summary: SummaryData | undefined;
  readonly lines: JsonLine[];
  readonly stdout: string;
  readonly stderr: string;
  /** Contents of the files named in `collect` (read before the temp dir is removed). */
  readonly collected: Record<string, string>;
  /** Point times (epoch ms) of one metric, optionally filtered by a tag. */
  pointTimes(metric: string, tag?: [string, string]): number[];
  pointValues(metric: string): number[];
}

/** Writes `source` (plus `files`) into a fresh temp dir and runs it with JSON output, capturing stdout/stderr. */
export const runScript = async (
  source: string,
  options: { env?: Record<string, string>; files?: Record<string, string>; collect?: string[]; config?: Partial<RunConfig> } = {},
): Promise<ScriptRun> => {
  const dir = await mkdtemp(join(tmpdir(), "k6runner-test-"));
  try {
    const scriptPath = join(dir, "script.js");
    await writeFile(scriptPath, source);
    for (const [name, content] of Object.entries(options.files ?? {})) await writeFile(join(dir, name), content);
    const jsonOutputPath = join(dir, "out.jsonl");
    let stdout = "";
    let stderr = "";
    const result = await runTest({
      scriptPath,
      env: options.env ?? {},
      jsonOutputPath,
      quiet: true,
      cwd: dir,
      stdout: (text) => (stdout += text),
      stderr: (line) => (stderr += `${line}\n`),
      ...options.config,
    });
    const text = await readFile(jsonOutputPath, "utf8").catch(() => "");
    const lines = text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as JsonLine);
    const collected: Record<string, string> = {};
    for (const name of options.collect ?? []) collected[name] = await readFile(join(dir, name), "utf8").catch(() => "<missing>");
    const points = (metric: string, tag?: [string, string]) =>
      lines.filter((line) => line.type === "Point" && line.metric === metric && (!tag || line.data.tags?.[tag[0]] === tag[1]));
    return {
      exitCode: result.exitCode,
      summary: result.summary,
      lines,
      stdout,
      stderr,
      collected,
      pointTimes: (metric, tag) => points(metric, tag).map((line) => Date.parse(line.data.time ?? "")),
      pointValues: (metric) => points(metric).map((line) => line.data.value ?? Number.NaN),
    };
  } finally {
    if (!process.env.KEEP_RUNNER_TEST_DIRS) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
};

/** How many of `times` fall before each whole second after `origin` (1..seconds). */
export const cumulativePerSecond = (times: readonly number[], origin: number, seconds: number): number[] =>
  Array.from({ length: seconds }, (_, index) => times.filter((time) => time - origin < (index + 1) * 1000).length);
