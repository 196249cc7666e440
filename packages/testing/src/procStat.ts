import { readdir, readFile } from "node:fs/promises";

/** The fields of `/proc/<pid>/stat` the report needs (proc(5): fields 1–5, 14 and 15). */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  /** User-mode CPU time in clock ticks. */
  utime: number;
  /** Kernel-mode CPU time in clock ticks. */
  stime: number;
}

export class ProcStatParseError extends Error {
  constructor(text: string) {
    super(`not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 120))}`);
    this.name = "ProcStatParseError";
  }
}

/**
 * Parses one `/proc/<pid>/stat` line. The command name sits in parentheses and may itself hold
 * spaces and parentheses, so it ends at the *last* ")" — splitting on spaces would shift every field.
 */
export const parseProcStat = (text: string): ProcStat => {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) throw new ProcStatParseError(text);
  const pid = Number(text.slice(0, open).trim());
  // After ")": field 3 (state) onwards; field n is at index n - 3.
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const field = (n: number) => Number(rest[n - 3]);
  const stat = { pid, comm: text.slice(open + 1, close), state: rest[0] ?? "", ppid: field(4), pgrp: field(5), utime: field(14), stime: field(15) };
  if (!Number.isInteger(pid) || [stat.ppid, stat.pgrp, stat.utime, stat.stime].some((n) => !Number.isFinite(n))) throw new ProcStatParseError(text);
  return stat;
};

/** One process's stat, or undefined once it is gone. */
export const readProcStat = async (pid: number, procRoot = "/proc"): Promise<ProcStat | undefined> => {
  try {
    return parseProcStat(await readFile(`${procRoot}/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
};

/** Every process's stat (processes that exit while we read are skipped). */
export const readAllProcStats = async (procRoot = "/proc"): Promise<ProcStat[]> => {
  const pids = (await readdir(procRoot)).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = await Promise.all(pids.map((pid) => readProcStat(pid, procRoot)));
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
};

/** The pids of `root` and all its descendants (by ppid), e.g. a launcher script and its JVM. */
export const processTree = (root: number, stats: readonly ProcStat[]): number[] => {
  const children = new Map<number, number[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  const tree: number[] = [];
  const queue = stats.some((s) => s.pid === root) ? [root] : [];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
};

/** utime + stime summed over the given pids, in clock ticks (absent pids count 0). */
export const cpuTicksOf = (pids: readonly number[], stats: readonly ProcStat[]): number => {
  const wanted = new Set(pids);
  return stats.filter((s) => wanted.has(s.pid)).reduce((sum, s) => sum + s.utime + s.stime, 0);
};
