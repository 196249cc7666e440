import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { cpus, release } from "node:os";
import { promisify } from "node:util";
import { repoRoot } from "@bazaar/testing";
import type { Machine } from "./analysis/reportData.js";
import { parseRefreshInterval } from "./analysis/refreshInterval.js";

const exec = promisify(execFile);

/** Cores, RAM and CPU model from /proc. */
export const readMachine = async (): Promise<Machine> => {
  const cpuinfo = await readFile("/proc/cpuinfo", "utf8");
  const meminfo = await readFile("/proc/meminfo", "utf8");
  const memKiB = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? Number.NaN);
  return {
    cores: (cpuinfo.match(/^processor\s*:/gm) ?? []).length || cpus().length,
    memoryGiB: memKiB / 1024 / 1024,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown CPU",
    kernel: `Linux ${release()}`,
  };
};

export const clockTicksPerSecond = async (): Promise<number> => {
  const ticks = Number((await exec("getconf", ["CLK_TCK"])).stdout.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
};

export const gitCommit = async (): Promise<string> => {
  const head = (await exec("git", ["rev-parse", "--short=12", "HEAD"], { cwd: repoRoot })).stdout.trim();
  const dirty = (await exec("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: repoRoot })).stdout.trim();
  return dirty ? `${head} (work tree has uncommitted changes)` : head;
};

/** The ordering order view's index refresh interval, read from its projection's settings. */
export const orderingRefreshInterval = async (): Promise<{ ms: number | undefined; source: string }> => {
  const file = "services/ordering/src/projections/orderViewProjection.ts";
  const source = await readFile(`${repoRoot}${file}`, "utf8").catch(() => "");
  return { ms: parseRefreshInterval(source), source: `refresh_interval in ${file}` };
};
