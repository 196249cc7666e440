import type { EventEnvelope } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { planBatch, type DocumentState } from "./batchPlan.js";
import type { DocumentProjection } from "./documentProjection.js";

interface Doc {
  names: string[];
}

const projection: DocumentProjection<Doc> = {
  name: "names",
  alias: "names",
  settings: {},
  mappings: {},
  handlesStream: () => true,
  documentId: (streamId) => `doc-${streamId}`,
  evolve: (current, event) => {
    const name = (event.data as { name?: string }).name;
    if (name === undefined) throw new Error("no name");
    return { names: [...(current?.names ?? []), name] };
  },
};

const event = (streamId: string, version: number, name?: string): EventEnvelope => ({
  eventId: `${streamId}-${version}`,
  type: "t.Named.v1",
  streamId,
  version,
  recordedAt: new Date(0),
  data: name === undefined ? {} : { name },
  metadata: { causationId: "c", correlationId: "r", actor: "a" },
});

const plan = (events: EventEnvelope[], current: Record<string, DocumentState<Doc>> = {}) => {
  const result = planBatch(projection, new Map(Object.entries(current)), events);
  return { outcomes: result.decisions.map((d) => `${d.event.streamId}@${d.event.version}:${d.outcome}`), writes: Object.fromEntries(result.writes) };
};

describe("batch plan", () => {
  it("applies a stream's events in version order whatever order they arrived in", () => {
    expect(plan([event("a", 2, "y"), event("a", 1, "x"), event("a", 3, "z")])).toEqual({
      outcomes: ["a@1:applied", "a@2:applied", "a@3:applied"],
      writes: { "doc-a": { doc: { names: ["x", "y", "z"] }, version: 3 } },
    });
  });

  it("skips what the document already reflects", () => {
    const current = { "doc-a": { doc: { names: ["x", "y"] }, version: 2 } };
    expect(plan([event("a", 1, "x"), event("a", 2, "y"), event("a", 3, "z")], current)).toEqual({
      outcomes: ["a@1:duplicate", "a@2:duplicate", "a@3:applied"],
      writes: { "doc-a": { doc: { names: ["x", "y", "z"] }, version: 3 } },
    });
  });

  it("holds back everything after a missing version", () => {
    expect(plan([event("a", 1, "x"), event("a", 3, "z"), event("a", 4, "w")])).toEqual({
      outcomes: ["a@1:applied", "a@3:gap", "a@4:gap"],
      writes: { "doc-a": { doc: { names: ["x"] }, version: 1 } },
    });
  });

  it("writes nothing when nothing applies", () => {
    expect(plan([event("a", 2, "y")]).writes).toEqual({});
    expect(plan([event("a", 1, "x")], { "doc-a": { doc: { names: ["x"] }, version: 1 } }).writes).toEqual({});
  });

  it("dead-letters a poison event and moves the document's version past it", () => {
    expect(plan([event("a", 1, "x"), event("a", 2), event("a", 3, "z")])).toEqual({
      outcomes: ["a@1:applied", "a@2:dead-lettered", "a@3:applied"],
      writes: { "doc-a": { doc: { names: ["x", "z"] }, version: 3 } },
    });
  });

  it("keeps streams apart", () => {
    expect(plan([event("a", 1, "x"), event("b", 2, "q"), event("b", 1, "p")]).writes).toEqual({
      "doc-a": { doc: { names: ["x"] }, version: 1 },
      "doc-b": { doc: { names: ["p", "q"] }, version: 2 },
    });
  });
});
