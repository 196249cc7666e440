import { describe, expect, it } from "vitest";
import { parseChecks, parseWalkthrough, verifyCalls } from "./walkthrough.js";

const readme = [
  "# T",
  "## Try it",
  "```sh",
  "api=http://x",
  "# a comment",
  "P=$(curl -s -XPOST $api/a \\",
  "  -d '{}' | jq -r .id)   # → 201 .id",
  'curl -s $api/a/$P      # → 200 .name=="Blue mug" .n>=2 .items[1].ok==true  prose .not.a.check',
  "curl -s $api/b",
  "```",
  "## Next",
].join("\n");

describe("walkthrough annotations", () => {
  const walkthrough = parseWalkthrough(readme, "Try it");

  it("reads each annotated command, its status and checks, and its README line", () => {
    expect(walkthrough.expectations.map((e) => [e.readmeLine, e.status, e.checks.map((c) => c.source)])).toEqual([
      [7, 201, [".id"]],
      [8, 200, ['.name=="Blue mug"', ".n>=2", ".items[1].ok==true"]],
    ]);
    expect(walkthrough.expectations[0]!.command).toContain("-d '{}' | jq -r .id)");
  });

  it("parses paths and JSON values", () => {
    expect(parseChecks('.a[0].b=="x y" .c')).toEqual([
      { source: '.a[0].b=="x y"', path: ["a", 0, "b"], op: "==", value: "x y" },
      { source: ".c", path: ["c"] },
    ]);
  });

  it("accepts calls that answer as annotated", () => {
    expect(
      verifyCalls(walkthrough, [
        { scriptLine: 4, status: 201, body: '{"id":"p1"}' },
        { scriptLine: 5, status: 200, body: '{"name":"Blue mug","n":2,"items":[{},{"ok":true}]}' },
      ]),
    ).toEqual([]);
  });

  it("reports a wrong status, a failed check, an unannotated curl and two calls under one annotation", () => {
    const problems = verifyCalls(walkthrough, [
      { scriptLine: 3, status: 201, body: "{}" },
      { scriptLine: 4, status: 201, body: '{"id":"p1"}' },
      { scriptLine: 5, status: 404, body: '{"name":"Red mug","n":2,"items":[]}' },
      { scriptLine: 6, status: 200, body: "{}" },
    ]);
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/README.md:7 .*\n\s+made 2 curl calls/);
    expect(problems[1]).toMatch(/status 404, annotated 200/);
    expect(problems[2]).toMatch(/\.name=="Blue mug" does not hold \(found "Red mug"\)/);
    expect(problems[3]).toMatch(/\.items\[1\]\.ok==true does not hold/);
    expect(problems[4]).toMatch(/README.md:9 a curl without annotation/);
  });
});
