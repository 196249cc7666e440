import type { EventEnvelope } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { foldDocument } from "./documentProjection.js";
import { eventDocumentProjection } from "./eventDocumentProjection.js";

type CounterEvent = { type: "test.Opened.v1"; data: { label: string } } | { type: "test.Counted.v1"; data: { by: number } };
interface CounterDocument {
  label: string;
  count: number;
  updatedAt: string;
}

const known = (envelope: EventEnvelope): CounterEvent | undefined =>
  envelope.type === "test.Opened.v1" || envelope.type === "test.Counted.v1" ? ({ type: envelope.type, data: envelope.data } as CounterEvent) : undefined;

const spec = {
  name: "test-counter",
  alias: "test-counters",
  properties: { label: { type: "keyword" }, count: { type: "long" } },
  handlesStream: (streamId: string) => streamId.startsWith("counter-"),
  documentId: (streamId: string) => streamId.slice("counter-".length),
  decodeKnown: known,
  apply: (current: CounterDocument, event: { type: "test.Counted.v1"; data: { by: number } }, at: string) => ({
    ...current,
    count: current.count + event.data.by,
    updatedAt: at,
  }),
};

const opened = eventDocumentProjection<CounterDocument, CounterEvent, "test.Opened.v1">({
  ...spec,
  first: { type: "test.Opened.v1", document: (event, at) => ({ label: event.data.label, count: 0, updatedAt: at }) },
});

const envelope = (version: number, type: string, data: unknown): EventEnvelope => ({
  eventId: `e-${version}`,
  type,
  streamId: "counter-1",
  version,
  recordedAt: new Date(Date.UTC(2026, 10, 30, 12, 0, version)),
  data,
  metadata: { causationId: "c", correlationId: "r", actor: "test" },
});
const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, second)).toISOString();

describe("a projection of one document per stream", () => {
  it("begins with the stream's first event, applies the later ones and stamps each one's time", () => {
    const events = [envelope(1, "test.Opened.v1", { label: "a" }), envelope(2, "test.Counted.v1", { by: 2 }), envelope(3, "test.Counted.v1", { by: 3 })];
    expect(foldDocument(opened, events)).toEqual({ label: "a", count: 5, updatedAt: at(3) });
  });

  it("keeps the document for a type this version does not know, but moves its time", () => {
    const events = [envelope(1, "test.Opened.v1", { label: "a" }), envelope(2, "test.Renamed.v2", { label: "b" })];
    expect(foldDocument(opened, events)).toEqual({ label: "a", count: 0, updatedAt: at(2) });
  });

  it("refuses a later event before the first one, naming both", () => {
    expect(() => opened.evolve(undefined, envelope(2, "test.Counted.v1", { by: 1 }))).toThrow("test.Counted.v1 arrived before Opened for counter-1");
    expect(() => opened.evolve(undefined, envelope(2, "test.Renamed.v2", {}))).toThrow(/arrived before Opened/);
  });

  it("starts from the empty document where streams have no beginning event", () => {
    const counted = eventDocumentProjection<CounterDocument, CounterEvent>({
      ...spec,
      apply: (current, event, when) => (event.type === "test.Counted.v1" ? spec.apply(current, event, when) : current),
      empty: (streamId, when) => ({ label: streamId, count: 0, updatedAt: when }),
    });
    expect(foldDocument(counted, [envelope(1, "test.Counted.v1", { by: 4 })])).toEqual({ label: "counter-1", count: 4, updatedAt: at(1) });
    expect(counted.evolve(undefined, envelope(1, "test.Renamed.v2", {}))).toEqual({ label: "counter-1", count: 0, updatedAt: at(1) });
  });

  it("maps every document's updatedAt, strictly, after the projection's own fields", () => {
    expect(opened.mappings).toEqual({ dynamic: "strict", properties: { label: { type: "keyword" }, count: { type: "long" }, updatedAt: { type: "date" } } });
    expect(Object.keys((opened.mappings as { properties: object }).properties)).toEqual(["label", "count", "updatedAt"]);
    expect(opened.documentId("counter-7")).toBe("7");
    expect(opened.handlesStream("other-7")).toBe(false);
  });
});
