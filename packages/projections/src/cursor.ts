import { ValidationError } from "@bazaar/core";
import type { estypes } from "@elastic/elasticsearch";
import { isStatus } from "./elasticsearch.js";

const MAX_VALUES = 8;
const MAX_STRING = 512;

/** An opaque page cursor: the sort it belongs to and the last hit's sort values (`search_after`). */
export const encodeCursor = (sort: string, after: estypes.SortResults): string => Buffer.from(JSON.stringify({ sort, after })).toString("base64url");

const invalid = () => new ValidationError([{ field: "cursor", message: "is not a cursor of this search (sort changed or value corrupted)" }]);

/**
 * The sort values a client's cursor carries, checked: it must belong to `sort`, and hold a few
 * plain values — never whatever a tampered cursor would hand to Elasticsearch.
 */
export const decodeCursor = (cursor: string, sort: string): estypes.SortResults => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString());
  } catch {
    throw invalid();
  }
  const { sort: of, after } = (decoded ?? {}) as { sort?: unknown; after?: unknown };
  const plain = (value: unknown) =>
    value === null || typeof value === "number" || typeof value === "boolean" || (typeof value === "string" && value.length <= MAX_STRING);
  if (of !== sort || !Array.isArray(after) || after.length === 0 || after.length > MAX_VALUES || !after.every(plain)) throw invalid();
  return after as estypes.SortResults;
};

/**
 * Runs a search that continues from a client's cursor: should Elasticsearch still refuse the
 * cursor's values (400: a value of the wrong type for its sort field), that is the client's bad
 * input, not our failure.
 */
export const searchFrom = async <T>(cursor: string | undefined, search: () => Promise<T>): Promise<T> => {
  try {
    return await search();
  } catch (error) {
    if (cursor && isStatus(error, 400)) throw invalid();
    throw error;
  }
};
