import { describe, expect, it } from "vitest";
import { CommandLineError, parseCommandLine } from "./commandLine.js";

const options = { ttl: { type: "string" }, staff: { type: "boolean", default: false } } as const;

describe("parseCommandLine", () => {
  it("returns the flags' values and the positionals", () => {
    const parsed = parseCommandLine(["mint", "--ttl", "600", "--staff"], { options, allowPositionals: true });
    expect(parsed.values).toEqual({ ttl: "600", staff: true });
    expect(parsed.positionals).toEqual(["mint"]);
  });

  it("refuses an unknown flag, a flag without its value and an unexpected positional as CommandLineErrors", () => {
    expect(() => parseCommandLine(["--force"], { options })).toThrow(CommandLineError);
    expect(() => parseCommandLine(["--force"], { options })).toThrow(/--force/);
    expect(() => parseCommandLine(["--ttl"], { options })).toThrow(CommandLineError);
    expect(() => parseCommandLine(["extra"], { options })).toThrow(CommandLineError);
  });
});
