/**
 * The README's walkthrough as data: the shell blocks of one section, and the machine-readable
 * annotation each curl call carries at the end of its command, e.g.
 *
 *   curl -s "${H[@]}" $api/v1/products/$P            # → 200 .name=="Blue mug" .version==1  prose…
 *
 * Annotation: `# → <status>` then any number of checks on the JSON body, then free prose.
 * A check is a path (`.`, `.id`, `.items[0].name`): present and not null; or a path, an operator
 * (`==`, `!=`, `>=`, `<=`, `>`, `<`) and a JSON literal (`"Blue mug"`, `10`, `true`). The first
 * word that does not start with `.` ends the checks.
 */

export interface Check {
  source: string;
  path: (string | number)[];
  op?: "==" | "!=" | ">=" | "<=" | ">" | "<";
  value?: unknown;
}

export interface Expectation {
  /** README line of the annotation (the command's last line). */
  readmeLine: number;
  /** Script line of the annotation, in the script `walkthroughScript` builds. */
  scriptLine: number;
  command: string;
  status: number;
  checks: Check[];
}

/** One recorded curl call: where the script made it and what it got. */
export interface Call {
  scriptLine: number;
  status: number;
  body: string;
}

export interface Walkthrough {
  /** The block(s) as one script, line for line (fences dropped, blocks joined). */
  lines: string[];
  /** README line of each script line. */
  readmeLines: number[];
  expectations: Expectation[];
}

const ANNOTATION = /#\s*→\s*(\d{3})\b(.*)$/;
const CHECK = /^\.([A-Za-z0-9_.[\]]*?)(?:(==|!=|>=|<=|>|<)("(?:[^"\\]|\\.)*"|[^\s"]+))?(?=\s|$)/;

/** `.items[0].name` → ["items", 0, "name"]; `.` → []. */
export const parsePath = (path: string): (string | number)[] =>
  path
    .split(/\.|(?=\[)/)
    .filter((part) => part !== "")
    .map((part) => {
      const index = /^\[(\d+)\]$/.exec(part);
      if (index) return Number(index[1]);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) throw new Error(`bad path segment '${part}' in '.${path}'`);
      return part;
    });

/** The checks at the start of an annotation's text, up to the prose. */
export const parseChecks = (text: string): Check[] => {
  const checks: Check[] = [];
  let rest = text.trimStart();
  for (let match = CHECK.exec(rest); match; match = CHECK.exec(rest)) {
    const [source, path, op, literal] = match;
    checks.push({ source, path: parsePath(path ?? ""), ...(op ? { op: op as Check["op"], value: JSON.parse(literal ?? "") as unknown } : {}) });
    rest = rest.slice(source.length).trimStart();
  }
  return checks;
};

/** The fenced `sh` blocks under the `## <heading>` section, with their README line numbers. */
export const shellBlocks = (readme: string, heading: string) => {
  const lines = readme.split("\n");
  const start = lines.findIndex((line) => line === `## ${heading}`);
  if (start < 0) throw new Error(`README has no section '## ${heading}'`);
  const blocks: { lines: string[]; firstLine: number }[] = [];
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith("## "); i++) {
    if (lines[i] !== "```sh") continue;
    const firstLine = i + 2; // 1-based line after the fence
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]!);
    blocks.push({ lines: body, firstLine });
  }
  return blocks;
};

/**
 * The walkthrough of a README section: its shell blocks that carry annotations, one script.
 * Each annotation covers the lines after the previous one up to its own (its command, and any
 * plain shell lines before it): a curl made there is that annotation's call.
 */
export const parseWalkthrough = (readme: string, heading: string): Walkthrough => {
  const blocks = shellBlocks(readme, heading).filter((block) => block.lines.some((line) => ANNOTATION.test(line)));
  if (blocks.length === 0) throw new Error(`no annotated shell block under '## ${heading}'`);
  const lines = blocks.flatMap((block) => block.lines);
  const readmeLines = blocks.flatMap((block) => block.lines.map((_, i) => block.firstLine + i));
  const expectations: Expectation[] = [];
  let commandStart = 0;
  lines.forEach((line, i) => {
    const annotation = ANNOTATION.exec(line);
    if (!annotation) {
      // A blank or comment-only line ends nothing but is no part of the next command either.
      if (/^\s*(#.*)?$/.test(line)) commandStart = i + 1;
      return;
    }
    expectations.push({
      readmeLine: readmeLines[i]!,
      scriptLine: i + 1,
      command: lines
        .slice(commandStart, i + 1)
        .map((l) => l.replace(ANNOTATION, "").trimEnd())
        .join("\n"),
      status: Number(annotation[1]),
      checks: parseChecks(annotation[2] ?? ""),
    });
    commandStart = i + 1;
  });
  return { lines, readmeLines, expectations };
};

const valueAt = (body: unknown, path: (string | number)[]): unknown =>
  path.reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined), body);

const holds = (check: Check, actual: unknown): boolean => {
  if (!check.op) return actual !== undefined && actual !== null;
  const same = JSON.stringify(actual) === JSON.stringify(check.value);
  if (check.op === "==") return same;
  if (check.op === "!=") return !same;
  if (typeof actual !== "number" || typeof check.value !== "number") return false;
  return { ">=": actual >= check.value, "<=": actual <= check.value, ">": actual > check.value, "<": actual < check.value }[check.op];
};

/** What is wrong with a call against its expectation; empty when it answered as annotated. */
export const mismatches = (expectation: Expectation, call: Call): string[] => {
  const problems: string[] = [];
  if (call.status !== expectation.status) problems.push(`status ${call.status}, annotated ${expectation.status}`);
  if (expectation.checks.length === 0) return problems;
  let body: unknown;
  try {
    body = JSON.parse(call.body);
  } catch {
    return [...problems, `body is not JSON, so ${expectation.checks.map((c) => c.source).join(" ")} cannot hold`];
  }
  for (const check of expectation.checks) {
    const actual = valueAt(body, check.path);
    if (!holds(check, actual)) problems.push(`${check.source} does not hold (found ${JSON.stringify(actual)})`);
  }
  return problems;
};

/**
 * Pairs recorded calls with the annotations: each annotation's lines must have made exactly one
 * call, and no call may fall outside every annotation (an unannotated curl is unchecked).
 */
export const verifyCalls = (walkthrough: Walkthrough, calls: Call[]): string[] => {
  const problems: string[] = [];
  const readmeLine = (scriptLine: number) => walkthrough.readmeLines[scriptLine - 1] ?? `?${scriptLine}`;
  let from = 0;
  for (const expectation of walkthrough.expectations) {
    const own = calls.filter((call) => call.scriptLine > from && call.scriptLine <= expectation.scriptLine);
    const where = `README.md:${expectation.readmeLine} ${expectation.command.trim().split("\n")[0]}`;
    if (own.length !== 1) problems.push(`${where}\n    made ${own.length} curl calls, annotated as one`);
    else for (const problem of mismatches(expectation, own[0]!)) problems.push(`${where}\n    ${problem}\n    body: ${own[0]!.body.slice(0, 300)}`);
    from = expectation.scriptLine;
  }
  for (const call of calls.filter((c) => c.scriptLine > from)) problems.push(`README.md:${readmeLine(call.scriptLine)} a curl without annotation`);
  return problems;
};
