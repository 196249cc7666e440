import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BASE, packageRoot, parseCliArgs, UsageError } from "./cliArgs.js";
import { constantArrivals, rampingArrivals } from "./executors/arrivalSchedule.js";
import { parseDuration } from "./duration.js";

let dir: string;
let script: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "k6runner-cli-"));
  script = join(dir, "s.js");
  await writeFile(script, "export default function () {}");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("CLI arguments", () => {
  it("maps flags to __ENV and outputs; the process environment gives only TOKEN", () => {
    const options = parseCliArgs(
      [
        "s.js",
        "--rate",
        "40",
        "--duration=20s",
        "-e",
        "FANOUT=100",
        "--env",
        "BASE=http://gw:1",
        "--out",
        "json=o/run.jsonl",
        "--summary-export",
        "sum.json",
        "--exec-at",
        "30:curl -fsS -XPOST http://127.0.0.1:9/stop/catalog",
        "--exec-at",
        "45.5:echo a:b",
        "--quiet",
      ],
      { TOKEN: "tok", HOME: "/root" },
      dir,
    );
    expect(options).toEqual({
      scriptPath: script,
      env: { BASE: "http://gw:1", TOKEN: "tok", RATE: "40", DURATION: "20s", FANOUT: "100" },
      jsonOutputPath: join(dir, "o/run.jsonl"),
      summaryExportPath: join(dir, "sum.json"),
      execAt: [
        { atMs: 30_000, command: "curl -fsS -XPOST http://127.0.0.1:9/stop/catalog" },
        { atMs: 45_500, command: "echo a:b" },
      ],
      quiet: true,
    });
  });

  it("defaults BASE; -e TOKEN wins over the environment; bad flags are usage errors", () => {
    expect(parseCliArgs(["s.js", "-e", "TOKEN=flag"], { TOKEN: "env" }, dir).env).toEqual({ BASE: DEFAULT_BASE, TOKEN: "flag" });
    expect(parseCliArgs(["s.js"], {}, dir).env).toEqual({ BASE: DEFAULT_BASE });
    expect(() => parseCliArgs(["s.js", "--vus", "3"], {}, dir)).toThrow(UsageError);
    expect(() => parseCliArgs(["s.js", "--exec-at", "soon:echo"], {}, dir)).toThrow(/expected <seconds>:<shell command>/);
    expect(() => parseCliArgs(["s.js", "--out", "csv=x"], {}, dir)).toThrow(/only json=<file>/);
  });

  it("a bare name is a scenario of the package (not of cwd)", () => {
    expect(() => parseCliArgs(["no-such-scenario"], {}, dir)).toThrow(
      `no scenario "no-such-scenario" (looked for ${resolve(packageRoot, "scenarios", "no-such-scenario.js")})`,
    );
  });
});

describe("durations and arrival schedules", () => {
  it("parses k6 durations", () => {
    expect(parseDuration("1m30s", "d")).toBe(90_000);
    expect(parseDuration("500ms", "d")).toBe(500);
    expect(parseDuration("1.5s", "d")).toBe(1500);
    expect(parseDuration("2h", "d")).toBe(7_200_000);
    expect(parseDuration("30", "d")).toBe(30_000);
    expect(parseDuration(250, "d")).toBe(250);
    expect(() => parseDuration("soon", "d")).toThrow(/not a duration/);
  });

  it("constant arrivals are evenly spaced from t = 0 and end before the duration", () => {
    const schedule = constantArrivals(4, 1000, 1000);
    expect([0, 1, 2, 3, 4].map(schedule)).toEqual([0, 250, 500, 750, undefined]);
  });

  it("ramping arrivals start iteration i where the rate's integral reaches i", () => {
    // 0 → 10/s over 2 s: ∫ = 2.5 t², so iteration i at sqrt(i / 2.5) s; then 10/s flat.
    const schedule = rampingArrivals(0, 1000, [
      { target: 10, durationMs: 2000 },
      { target: 10, durationMs: 1000 },
    ]);
    expect(schedule(0)).toBe(0);
    expect(schedule(1)).toBeCloseTo(Math.sqrt(1 / 2.5) * 1000, 6);
    expect(schedule(9)).toBeCloseTo(Math.sqrt(9 / 2.5) * 1000, 6);
    expect(schedule(10)).toBeCloseTo(2000, 6);
    expect(schedule(14)).toBeCloseTo(2400, 6);
    expect(schedule(20)).toBeUndefined();
    // A zero-length stage is a jump; a zero-rate stage starts nothing.
    const jump = rampingArrivals(0, 1000, [
      { target: 0, durationMs: 1000 },
      { target: 5, durationMs: 0 },
      { target: 5, durationMs: 1000 },
    ]);
    expect([0, 1, 4, 5].map(jump)).toEqual([1000, 1200, 1800, undefined]);
  });
});
