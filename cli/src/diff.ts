import type { Mismatch } from "@bazaar/projections";

/** Leaf paths of a JSON value: `{ a: { b: 1 } }` → `a.b = 1`. */
const flatten = (value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> => {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
};

/** One readable block per mismatch: what the event store says vs what the read model holds. */
export const describeMismatch = (mismatch: Mismatch): string => {
  switch (mismatch.problem) {
    case "missing":
      return `- ${mismatch.id}: missing from the read model (expected version ${mismatch.expectedVersion})`;
    case "orphan":
      return `- ${mismatch.id}: in the read model, but no stream in the event store`;
    case "version":
      return `- ${mismatch.id}: version ${mismatch.actualVersion}, expected ${mismatch.expectedVersion}`;
    case "content": {
      const expected = flatten(mismatch.expected);
      const actual = flatten(mismatch.actual);
      const fields = [...new Set([...expected.keys(), ...actual.keys()])].sort().filter((key) => expected.get(key) !== actual.get(key));
      return [
        `- ${mismatch.id} (version ${mismatch.expectedVersion}):`,
        ...fields.map((key) => `    ${key}: expected ${expected.get(key) ?? "(absent)"}, found ${actual.get(key) ?? "(absent)"}`),
      ].join("\n");
    }
  }
};
