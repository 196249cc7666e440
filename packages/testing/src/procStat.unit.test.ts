import { describe, expect, it } from "vitest";
import { startCpuSampler } from "./cpuSampler.js";
import { cpuTicksOf, parseProcStat, processTree, ProcStatParseError, type ProcStat } from "./procStat.js";

// A real line's shape (proc(5)): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
const line = (pid: number, comm: string, ppid: number, utime: number, stime: number) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 1200 0 3 0 ${utime} ${stime} 0 0 20 0 12 0 5000 123456789 4000 18446744073709551615`;

describe("parseProcStat", () => {
  it("reads pid, ppid, utime (field 14) and stime (field 15)", () => {
    expect(parseProcStat(line(4242, "node", 1, 731, 95))).toMatchObject({ pid: 4242, comm: "node", state: "S", ppid: 1, pgrp: 4242, utime: 731, stime: 95 });
  });

  it("keeps a command name with spaces and parentheses intact and the fields after it in place", () => {
    const stat = parseProcStat(line(77, "Web Content (x) ) y", 5, 12, 34));
    expect(stat.comm).toBe("Web Content (x) ) y");
    expect([stat.ppid, stat.utime, stat.stime]).toEqual([5, 12, 34]);
  });

  it("rejects a line that is not a stat line", () => {
    expect(() => parseProcStat("not a stat line")).toThrow(ProcStatParseError);
    expect(() => parseProcStat("12 (x) S")).toThrow(ProcStatParseError);
  });
});

const stats: ProcStat[] = [
  { pid: 1, comm: "init", state: "S", ppid: 0, pgrp: 1, utime: 1, stime: 1 },
  { pid: 100, comm: "elasticsearch", state: "S", ppid: 1, pgrp: 100, utime: 5, stime: 1 },
  { pid: 101, comm: "java", state: "S", ppid: 100, pgrp: 100, utime: 300, stime: 40 },
  { pid: 102, comm: "controller", state: "S", ppid: 101, pgrp: 100, utime: 2, stime: 2 },
  { pid: 200, comm: "nats-server", state: "S", ppid: 1, pgrp: 200, utime: 50, stime: 10 },
];

describe("process trees", () => {
  it("collects a launcher and all its descendants, nothing else", () => {
    expect(processTree(100, stats).sort()).toEqual([100, 101, 102]);
    expect(cpuTicksOf(processTree(100, stats), stats)).toBe(5 + 1 + 300 + 40 + 2 + 2);
  });

  it("is empty for a pid that is gone", () => {
    expect(processTree(999, stats)).toEqual([]);
  });
});

describe("startCpuSampler", () => {
  it("keeps a target's series monotonic across a restart (new pid counting from 0)", async () => {
    let current: ProcStat[] = [{ pid: 10, comm: "catalog", state: "S", ppid: 1, pgrp: 10, utime: 80, stime: 20 }];
    let pid = 10;
    const sampler = startCpuSampler([{ name: "catalog", pids: () => [pid] }], 60_000, async () => current);
    await new Promise((r) => setTimeout(r, 10));
    // The process restarts: pid 11 has used only 5 ticks so far.
    current = [{ pid: 11, comm: "catalog", state: "S", ppid: 1, pgrp: 11, utime: 4, stime: 1 }];
    pid = 11;
    const samples = await sampler.stop();
    expect(samples.map((s) => s.ticks.catalog)).toEqual([100, 105]);
  });
});
