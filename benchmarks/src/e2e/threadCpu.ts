import { readdir } from "node:fs/promises";
import { readProcStat } from "@bazaar/testing";

/**
 * CPU milliseconds per thread group of one process, from /proc/<pid>/task: the JVM names its
 * threads (`MutationStage-3`, `CompactionExecutor:2`, `Native-Transport-Requests-7`; the kernel
 * keeps 15 characters), so Cassandra's CPU splits into CQL request handling, writes and Paxos,
 * reads, the commit log, compaction, flushes and the JVM's own threads (garbage collection and the
 * JIT, which the kernel sees as `java` or `GC Thread#n`, `C2 CompilerThre`). Threads that ended
 * between two readings take their time with them, so a group's delta is a lower bound.
 */
export type ThreadCpu = Record<string, number>;

/**
 * Cassandra's request stages run on one shared pool whose workers take the name of the stage they
 * work for at the moment (a `SharedPool-Worker` becomes `MutationStage-2`, then
 * `Native-Transport-Requests-5`): a thread's name at a reading says nothing of where its time went
 * before, so these count as one group — CQL requests, their reads, writes and Paxos rounds.
 */
const SHARED_POOL = /^(SharedPool-Work|MutationStage|ReadStage|Native-Transpor|CounterMutation|ViewMutationSt|RequestRespons|PaxosRepair)/;
export const REQUEST_STAGES = "request stages";

/** A thread's group: the shared pool's stages as one, any other without its pool index (`-3`, `:2`, `#0`). */
export const threadGroup = (comm: string): string => (SHARED_POOL.test(comm) ? REQUEST_STAGES : comm.replace(/[-:#]?\d+$/, "").replace(/[-:]$/, ""));

export const readThreadCpu = async (pid: number, ticksPerSecond: number, procRoot = "/proc"): Promise<ThreadCpu> => {
  const tids = await readdir(`${procRoot}/${pid}/task`).catch(() => [] as string[]);
  const groups: ThreadCpu = {};
  for (const tid of tids) {
    const stat = await readProcStat(Number(tid), `${procRoot}/${pid}/task`);
    if (!stat) continue;
    const group = threadGroup(stat.comm);
    groups[group] = (groups[group] ?? 0) + ((stat.utime + stat.stime) * 1000) / ticksPerSecond;
  }
  return groups;
};

export const threadCpuDelta = (from: ThreadCpu, to: ThreadCpu): ThreadCpu =>
  Object.fromEntries(Object.entries(to).map(([group, ms]) => [group, Math.max(0, ms - (from[group] ?? 0))]));
