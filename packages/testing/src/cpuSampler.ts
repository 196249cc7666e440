import { readAllProcStats, type ProcStat } from "./procStat.js";

/** A process (or process tree) whose CPU time is sampled; `pids` is asked again at every sample. */
export interface CpuTarget {
  name: string;
  pids: (stats: readonly ProcStat[]) => number[];
}

/** Cumulative CPU ticks per target at one moment (epoch ms). */
export interface CpuSample {
  t: number;
  ticks: Record<string, number>;
}

/**
 * Samples utime+stime of each target every `intervalMs`. A target's value is cumulative over every
 * pid it ever had — each pid's last seen ticks are kept — so a restarted process (new pid, counting
 * from 0) never makes the series go backwards.
 */
export const startCpuSampler = (targets: readonly CpuTarget[], intervalMs = 1_000, readStats = () => readAllProcStats()) => {
  const samples: CpuSample[] = [];
  const lastTicks = new Map<string, Map<number, number>>(targets.map((target) => [target.name, new Map()]));
  const sample = async () => {
    const stats = await readStats();
    const byPid = new Map(stats.map((s) => [s.pid, s]));
    const ticks: Record<string, number> = {};
    for (const target of targets) {
      const seen = lastTicks.get(target.name)!;
      for (const pid of target.pids(stats)) {
        const stat = byPid.get(pid);
        if (stat) seen.set(pid, stat.utime + stat.stime);
      }
      ticks[target.name] = [...seen.values()].reduce((sum, n) => sum + n, 0);
    }
    samples.push({ t: Date.now(), ticks });
  };
  let running: Promise<void> = sample();
  const timer = setInterval(() => {
    running = running.then(sample, sample);
  }, intervalMs);
  return {
    samples,
    /** Takes a last sample and stops. */
    async stop(): Promise<CpuSample[]> {
      clearInterval(timer);
      await running.catch(() => undefined);
      await sample();
      return samples;
    },
  };
};

export type CpuSampler = ReturnType<typeof startCpuSampler>;
