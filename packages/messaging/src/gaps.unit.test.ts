import type { EventEnvelope } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { fillGaps, type MissingEvents } from "./gaps.js";

const event = (streamId: string, version: number): EventEnvelope => ({
  eventId: `${streamId}-${version}`,
  type: "t.Happened.v1",
  streamId,
  version,
  recordedAt: new Date(0),
  data: {},
  metadata: { causationId: "c", correlationId: "r", actor: "test" },
});

/** A source holding versions 1 … `upTo` of every stream, recording what it was asked. */
const source = (upTo: number) => {
  const asked: string[] = [];
  const missing: MissingEvents = async (streamId, from, to) => {
    asked.push(`${streamId}:${from}-${to}`);
    return Array.from({ length: Math.max(0, Math.min(to, upTo) - from + 1) }, (_, i) => event(streamId, from + i));
  };
  return { asked, missing };
};

const versions = (events: readonly EventEnvelope[]) => events.map((e) => `${e.streamId}@${e.version}`);

describe("fillGaps", () => {
  it("reads the versions in front of a stream's events, once per stream, and orders each stream", async () => {
    const { asked, missing } = source(10);
    const delivered = [event("a", 5), event("b", 2), event("a", 4)];
    const { events, repaired } = await fillGaps(delivered, (s) => (s === "a" ? 1 : 1), missing);
    expect(versions(events)).toEqual(["a@2", "a@3", "a@4", "a@5", "b@2"]);
    expect(versions([...repaired])).toEqual(["a@2", "a@3"]);
    expect(asked).toEqual(["a:2-3"]);
  });

  it("fills a hole between delivered versions too", async () => {
    const { asked, missing } = source(10);
    const { events } = await fillGaps([event("a", 1), event("a", 4)], () => 0, missing);
    expect(versions(events)).toEqual(["a@1", "a@2", "a@3", "a@4"]);
    expect(asked).toEqual(["a:2-3"]);
  });

  it("asks nothing when every stream continues where it was applied, or repeats what was applied", async () => {
    const { asked, missing } = source(10);
    const delivered = [event("a", 3), event("a", 2), event("b", 1)];
    expect(versions((await fillGaps(delivered, (s) => (s === "a" ? 2 : 0), missing)).events)).toEqual(["a@2", "a@3", "b@1"]);
    expect(asked).toEqual([]);
  });

  it("keeps what the source has, and the hole stays where it has nothing yet", async () => {
    const { missing } = source(2);
    const { events, repaired } = await fillGaps([event("a", 5)], () => 0, missing);
    expect(versions(events)).toEqual(["a@1", "a@2", "a@5"]);
    expect(repaired.size).toBe(2);
  });

  it("ignores what the source returns outside the hole or for another stream", async () => {
    const missing: MissingEvents = async () => [event("a", 1), event("a", 2), event("x", 3), event("a", 7)];
    expect(versions((await fillGaps([event("a", 4)], () => 1, missing)).events)).toEqual(["a@2", "a@4"]);
  });
});
