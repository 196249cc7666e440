import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileShare {
  what: string;
  ms: number;
  /** Share of the profile's busy time (everything but "(idle)"). */
  share: number;
}

/** Where code comes from: an npm package, a workspace package, Node itself, or V8's own buckets. */
export const originOf = (url: string, functionName: string): string => {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const workspace = /\/(packages\/[^/]+|services\/[^/]+|gateway)\//.exec(url);
  return workspace ? workspace[1]! : url;
};

/**
 * Self time of a `--cpu-prof` profile by origin and by function: where a process spent its CPU.
 * Self time = samples whose top frame is that function × the mean sampling interval.
 */
export const summarizeProfile = (profile: CpuProfile, top = 15): { busyMs: number; byOrigin: ProfileShare[]; byFunction: ProfileShare[] } => {
  const totalHits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = totalHits === 0 ? 0 : (profile.endTime - profile.startTime) / 1000 / totalHits;
  const origin = new Map<string, number>();
  const fn = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0 || node.callFrame.functionName === "(idle)") continue;
    busy += hits;
    const where = originOf(node.callFrame.url, node.callFrame.functionName);
    origin.set(where, (origin.get(where) ?? 0) + hits);
    const file = node.callFrame.url.split("/").slice(-1)[0] ?? "";
    const name = `${node.callFrame.functionName || "(anonymous)"} ${where}${file && !where.endsWith(file) ? `/${file}` : ""}:${node.callFrame.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + hits);
  }
  const shares = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([what, hits]) => ({ what, ms: hits * msPerHit, share: busy === 0 ? 0 : hits / busy }));
  return { busyMs: busy * msPerHit, byOrigin: shares(origin), byFunction: shares(fn) };
};

/** The newest `.cpuprofile` in `dir` whose file name carries `pid` (Node names them CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile). */
export const readProfileOf = async (dir: string, pid: number): Promise<CpuProfile | undefined> => {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".cpuprofile") && f.includes(`.${pid}.`)).sort();
  const file = files.at(-1);
  return file ? (JSON.parse(await readFile(join(dir, file), "utf8")) as CpuProfile) : undefined;
};
