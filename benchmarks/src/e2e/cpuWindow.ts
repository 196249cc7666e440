import { CONTEXTS, currentStorePid, DATA_STORES, processTree, readAllProcStats, type CpuTarget, type DataStore, type Platform } from "@bazaar/testing";

/** Every process the platform costs: the contexts, the gateway, the stores (whole trees) and this load generator. */
export const PROCESSES = [...CONTEXTS, "gateway", ...DATA_STORES, "loadgen"] as const;
export type ProcessName = (typeof PROCESSES)[number];

export const cpuTargets = (platform: Platform, storePids: Record<DataStore, number>): CpuTarget[] => [
  ...CONTEXTS.map((name) => ({ name, pids: () => [platform.pid(name)].filter((p): p is number => p !== undefined) })),
  { name: "gateway", pids: () => [platform.pid("gateway")].filter((p): p is number => p !== undefined) },
  ...DATA_STORES.map((name) => ({ name, pids: (stats: Parameters<CpuTarget["pids"]>[0]) => processTree(currentStorePid(name, storePids[name]), stats) })),
  { name: "loadgen", pids: () => [process.pid] },
];

/** CPU milliseconds (user + system) per process at one moment, from /proc. */
export type CpuReading = Record<string, number>;

export const readCpu = async (targets: readonly CpuTarget[], ticksPerSecond: number): Promise<CpuReading> => {
  const stats = await readAllProcStats();
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  return Object.fromEntries(
    targets.map((target) => {
      const ticks = target.pids(stats).reduce((sum, pid) => sum + (byPid.get(pid)?.utime ?? 0) + (byPid.get(pid)?.stime ?? 0), 0);
      return [target.name, (ticks * 1000) / ticksPerSecond];
    }),
  );
};

export const cpuDelta = (from: CpuReading, to: CpuReading): CpuReading =>
  Object.fromEntries(Object.keys(to).map((name) => [name, to[name]! - (from[name] ?? 0)]));

export const totalOf = (reading: CpuReading, except: readonly string[] = []): number =>
  Object.entries(reading)
    .filter(([name]) => !except.includes(name))
    .reduce((sum, [, ms]) => sum + ms, 0);
