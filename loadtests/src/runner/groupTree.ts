import { createHash } from "node:crypto";

export interface CheckSummary {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface GroupSummary {
  name: string;
  path: string;
  id: string;
  groups: GroupSummary[];
  checks: CheckSummary[];
}

/** k6 identifies groups and checks by the md5 of their path. */
const idOf = (path: string): string => createHash("md5").update(path).digest("hex");

/** The group hierarchy with check pass/fail counts: the summary's `root_group`. */
export class GroupTree {
  readonly root: GroupSummary = { name: "", path: "", id: idOf(""), groups: [], checks: [] };
  private readonly byPath = new Map<string, GroupSummary>([["", this.root]]);

  /** The group at `path` (`::a::b`), created with its parents on first use. */
  group(path: string): GroupSummary {
    const existing = this.byPath.get(path);
    if (existing) return existing;
    const cut = path.lastIndexOf("::");
    const parent = this.group(path.slice(0, cut));
    const group: GroupSummary = { name: path.slice(cut + 2), path, id: idOf(path), groups: [], checks: [] };
    parent.groups.push(group);
    this.byPath.set(path, group);
    return group;
  }

  recordCheck(groupPath: string, name: string, passed: boolean): void {
    const group = this.group(groupPath);
    let check = group.checks.find((candidate) => candidate.name === name);
    if (!check) {
      const path = `${groupPath}::${name}`;
      check = { name, path, id: idOf(path), passes: 0, fails: 0 };
      group.checks.push(check);
    }
    if (passed) check.passes += 1;
    else check.fails += 1;
  }
}
