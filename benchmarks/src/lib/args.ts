/** `--name value` command-line options with defaults; env BENCH_<NAME> works too. */
export const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1]!;
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, "_")}`] ?? fallback;
};

export const numberOption = (name: string, fallback: number): number => {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
};

export const listOption = (name: string, fallback: readonly number[]): number[] =>
  option(name, fallback.join(",")).split(",").map((s) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: bad value ${s}`);
    return n;
  });
