import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readThreadCpu, REQUEST_STAGES, threadCpuDelta, threadGroup } from "./threadCpu.js";

describe("a JVM thread's group", () => {
  it("is its name without the pool's index", () => {
    expect(["CompactionExecutor:2", "GC Thread#1", "COMMIT-LOG-WRIT", "epollEventLoopG", "java"].map(threadGroup)).toEqual([
      "CompactionExecutor",
      "GC Thread",
      "COMMIT-LOG-WRIT",
      "epollEventLoopG",
      "java",
    ]);
  });

  it("is one group for every stage of the shared pool, whose workers rename themselves", () => {
    expect(new Set(["MutationStage-3", "ReadStage-10", "Native-Transpor", "SharedPool-Work"].map(threadGroup))).toEqual(new Set([REQUEST_STAGES]));
  });
});

describe("readThreadCpu", () => {
  it("sums user and system ticks of every thread of a group, in milliseconds", async () => {
    const root = await mkdtemp(join(tmpdir(), "proc-"));
    const thread = async (tid: number, comm: string, utime: number, stime: number) => {
      await mkdir(join(root, "7", "task", String(tid)), { recursive: true });
      await writeFile(join(root, "7", "task", String(tid), "stat"), `${tid} (${comm}) S 1 7 7 0 -1 0 0 0 0 0 ${utime} ${stime} 0 0 20 0 1 0`);
    };
    await thread(7, "java", 100, 20);
    await thread(8, "MutationStage-1", 30, 5);
    await thread(9, "Native-Transpor", 10, 5);
    const before = await readThreadCpu(7, 100, root);
    expect(before).toEqual({ java: 1200, [REQUEST_STAGES]: 500 });
    await thread(9, "ReadStage-2", 40, 5);
    expect(threadCpuDelta(before, await readThreadCpu(7, 100, root))).toEqual({ java: 0, [REQUEST_STAGES]: 300 });
  });

  it("is empty for a process that is gone", async () => {
    expect(await readThreadCpu(999_999_999, 100)).toEqual({});
  });
});
