/**
 * Logs script errors without flooding the terminal when every iteration fails the same way:
 * the first occurrence of a message is printed, then at most one line per interval with the
 * number of repeats since.
 */
export class ErrorLog {
  private readonly seen = new Map<string, { lastPrintedAt: number; suppressed: number }>();

  constructor(
    private readonly print: (line: string) => void,
    private readonly intervalMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  report(where: string, error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    // Messages differing only in numbers or hex ids (order 17 vs order 18) count as the same.
    const key = `${where.replace(/\d+/g, "#")}\n${(message.split("\n")[0] ?? "").replace(/[0-9a-f]{8,}|\d+/gi, "#")}`;
    const entry = this.seen.get(key);
    const now = this.now();
    if (!entry) {
      this.seen.set(key, { lastPrintedAt: now, suppressed: 0 });
      this.print(`ERROR ${where}: ${message}`);
      return;
    }
    if (now - entry.lastPrintedAt < this.intervalMs) {
      entry.suppressed += 1;
      return;
    }
    this.print(`ERROR ${where}: ${message.split("\n")[0] ?? ""} (and ${entry.suppressed} more like it)`);
    entry.lastPrintedAt = now;
    entry.suppressed = 0;
  }

  /** Prints the counts still suppressed (at the end of the run). */
  flush(): void {
    for (const [key, entry] of this.seen) {
      if (entry.suppressed > 0) this.print(`ERROR ${key.replace("\n", ": ")} (and ${entry.suppressed} more like it)`);
      entry.suppressed = 0;
    }
  }
}
