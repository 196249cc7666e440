import { afterEach, describe, expect, it } from "vitest";
import { benchArgs } from "./args.js";

describe("benchArgs", () => {
  afterEach(() => {
    delete process.env.BENCH_POLL_MS;
  });

  it("reads --name value and --name=value, then BENCH_<NAME>, then the default", () => {
    process.env.BENCH_POLL_MS = "7";
    const args = benchArgs(["duration", "poll-ms", "label", "concurrency"], ["--duration", "20", "--concurrency=8,32"]);
    expect(args.number("duration", 10)).toBe(20);
    expect(args.number("poll-ms", 10)).toBe(7);
    expect(args.option("label", "append")).toBe("append");
    expect(args.list("concurrency", [1])).toEqual([8, 32]);
  });

  it("refuses a flag the benchmark does not declare, and values that are no numbers", () => {
    expect(() => benchArgs(["duration"], ["--durations", "20"])).toThrow(/--durations/);
    expect(() => benchArgs(["duration"], ["--duration", "soon"]).number("duration", 10)).toThrow("--duration must be a number");
    expect(() => benchArgs(["concurrency"], ["--concurrency", "8,0"]).list("concurrency", [1])).toThrow("--concurrency: bad value 0");
  });
});
