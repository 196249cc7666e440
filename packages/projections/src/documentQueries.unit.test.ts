import { ValidationError } from "@bazaar/core";
import type { estypes } from "@elastic/elasticsearch";
import { describe, expect, it } from "vitest";
import { decodeCursor } from "./cursor.js";
import { pageLimit, pageOf } from "./documentQueries.js";

const response = (hits: { id: string; version: number; sort: estypes.SortResults }[], total: number | { value: number }) =>
  ({
    took: 1,
    timed_out: false,
    _shards: { total: 1, successful: 1, failed: 0 },
    hits: { total, hits: hits.map(({ id, version, sort }) => ({ _index: "i", _id: id, _version: version, _source: { id }, sort })) },
  }) as unknown as estypes.SearchResponse<{ id: string }>;

describe("a page of a read model's search", () => {
  it("asks 20 when the client did not say, and refuses a size outside 1 to 100", () => {
    expect(pageLimit(0)).toBe(20);
    expect(pageLimit(100)).toBe(100);
    expect(() => pageLimit(101)).toThrow(ValidationError);
    expect(() => pageLimit(-1)).toThrow(/limit: must be between 1 and 100/);
  });

  it("gives each document its version, the total, and a cursor after the last hit only when the page is full", () => {
    const full = pageOf(
      response(
        [
          { id: "a", version: 3, sort: ["x", 1] },
          { id: "b", version: 1, sort: ["y", 2] },
        ],
        { value: 7 },
      ),
      2,
      "name",
    );
    expect(full.items).toEqual([
      { id: "a", version: 3 },
      { id: "b", version: 1 },
    ]);
    expect(full.total).toBe(7);
    expect(decodeCursor(full.nextCursor ?? "", "name")).toEqual(["y", 2]);
    const last = pageOf(response([{ id: "c", version: 2, sort: ["z", 3] }], 5), 2, "name");
    expect(last).toEqual({ items: [{ id: "c", version: 2 }], total: 5, nextCursor: undefined });
  });
});
