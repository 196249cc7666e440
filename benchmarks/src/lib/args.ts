import { parseArgs } from "node:util";

/**
 * A benchmark's `--name value` options, parsed once by node:util's parseArgs over the names it
 * declares (strictly: a mistyped flag fails instead of being ignored). Each value falls back to
 * the environment's BENCH_<NAME>, then to the default given where it is read.
 */
export const benchArgs = <Name extends string>(names: readonly Name[], argv: readonly string[] = process.argv.slice(2)) => {
  const { values } = parseArgs({ args: [...argv], options: Object.fromEntries(names.map((name) => [name, { type: "string" as const }])), strict: true });
  const option = (name: Name, fallback: string): string => values[name] ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, "_")}`] ?? fallback;
  return {
    option,
    number(name: Name, fallback: number): number {
      const value = Number(option(name, String(fallback)));
      if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
      return value;
    },
    /** Comma-separated positive numbers. */
    list(name: Name, fallback: readonly number[]): number[] {
      return option(name, fallback.join(","))
        .split(",")
        .map((s) => {
          const n = Number(s);
          if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: bad value ${s}`);
          return n;
        });
    },
  };
};
