/** Prints rows as an aligned Markdown table, so the output pastes into docs/benchmarks.md. */
export const printTable = (headers: readonly string[], rows: readonly (readonly (string | number)[])[]): void => {
  const cells = rows.map((row) => row.map((c) => (typeof c === "number" ? fmt(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(headers));
  console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const r of cells) console.log(line(r));
};

export const fmt = (n: number, digits?: number): string => {
  if (!Number.isFinite(n)) return "n/a";
  if (digits === undefined && Number.isInteger(n)) return String(n);
  const d = digits ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);
  return n.toFixed(d);
};

export const verdict = (ok: boolean): string => (ok ? "PASS" : "FAIL");
