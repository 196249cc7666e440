import { randomUUID } from "node:crypto";
import { ConcurrencyError, ValidationError, type NewEvent } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { createUpcaster, type EventStore, type Upcaster } from "./eventStore.js";

/** Builds a fresh, empty store (optionally with an upcaster) for one test. */
export type EventStoreFactory = (options?: { upcast?: Upcaster }) => Promise<EventStore>;

const event = (type: string, data: unknown, recordedAt = new Date()): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  recordedAt,
  metadata: {
    causationId: randomUUID(),
    correlationId: randomUUID(),
    actor: "contract",
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  },
});

const newStream = () => `s-${randomUUID()}`;

/**
 * The behaviour every EventStore must have. Each implementation runs this same suite, so
 * a unit test on the in-memory store means the same as an integration test on Cassandra.
 */
export const eventStoreContract = (name: string, factory: EventStoreFactory): void => {
  describe(`EventStore contract: ${name}`, () => {
    it("stores a command's events at consecutive versions and reads them back whole", async () => {
      const store = await factory();
      const stream = newStream();
      const events = [event("t.A.v1", { n: 1 }), event("t.B.v1", { nested: { ok: true }, list: [1, "x"] })];
      const result = await store.append(stream, 0, events);
      expect(result.nextExpectedVersion).toBe(2);
      expect(result.events.map((e) => e.version)).toEqual([1, 2]);
      expect(await store.readStream(stream)).toEqual(events.map((e, i) => ({ ...e, streamId: stream, version: i + 1 })));
    });

    it("appends after the current version", async () => {
      const store = await factory();
      const stream = newStream();
      await store.append(stream, 0, [event("t.A.v1", 1)]);
      const second = await store.append(stream, 1, [event("t.A.v1", 2), event("t.A.v1", 3)]);
      expect(second.nextExpectedVersion).toBe(3);
      expect((await store.readStream(stream)).map((e) => [e.version, e.data])).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
      ]);
    });

    it("reads from a version onward", async () => {
      const store = await factory();
      const stream = newStream();
      await store.append(stream, 0, [event("t.A.v1", 1), event("t.A.v1", 2), event("t.A.v1", 3)]);
      expect((await store.readStream(stream, { fromVersion: 2 })).map((e) => e.data)).toEqual([2, 3]);
      expect(await store.readStream(stream, { fromVersion: 4 })).toEqual([]);
    });

    it("reads a page: at most `limit` events from a version onward", async () => {
      const store = await factory();
      const stream = newStream();
      await store.append(
        stream,
        0,
        [1, 2, 3, 4, 5].map((n) => event("t.A.v1", n)),
      );
      expect((await store.readStream(stream, { limit: 2 })).map((e) => e.version)).toEqual([1, 2]);
      expect((await store.readStream(stream, { fromVersion: 4, limit: 2 })).map((e) => e.version)).toEqual([4, 5]);
      expect((await store.readStream(stream, { fromVersion: 5, limit: 2 })).map((e) => e.version)).toEqual([5]);
      expect(await store.readStream(stream, { fromVersion: 6, limit: 2 })).toEqual([]);
    });

    it("reads a stream as of an instant (time travel)", async () => {
      const store = await factory();
      const stream = newStream();
      const t = (iso: string) => new Date(iso);
      await store.append(stream, 0, [event("t.A.v1", "created", t("2026-01-01T10:00:00Z"))]);
      await store.append(stream, 1, [event("t.A.v1", "renamed", t("2026-01-02T10:00:00Z"))]);
      await store.append(stream, 2, [event("t.A.v1", "priced", t("2026-01-03T10:00:00Z"))]);
      expect((await store.readStream(stream, { asOf: t("2026-01-02T10:00:00Z") })).map((e) => e.data)).toEqual(["created", "renamed"]);
      expect(await store.readStream(stream, { asOf: t("2025-12-31T00:00:00Z") })).toEqual([]);
    });

    it("refuses an append at a stale expected version and writes nothing", async () => {
      const store = await factory();
      const stream = newStream();
      await store.append(stream, 0, [event("t.A.v1", 1)]);
      await expect(store.append(stream, 0, [event("t.A.v1", "stale"), event("t.A.v1", "stale")])).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(store.append(stream, 5, [event("t.A.v1", "ahead")])).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.readStream(stream)).map((e) => e.data)).toEqual([1]);
    });

    it("lets exactly one of many concurrent writers take a version, with all of its events", async () => {
      const store = await factory();
      const stream = newStream();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, writer) => store.append(stream, 0, [event("t.A.v1", { writer }), event("t.A.v1", { writer })])),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === "rejected").every((o) => o.reason instanceof ConcurrencyError)).toBe(true);
      const stored = await store.readStream(stream);
      expect(stored.map((e) => e.version)).toEqual([1, 2]);
      expect(new Set(stored.map((e) => (e.data as { writer: number }).writer)).size).toBe(1);
    });

    it("refuses an empty append", async () => {
      const store = await factory();
      await expect(store.append(newStream(), 0, [])).rejects.toBeInstanceOf(ValidationError);
    });

    it("reads an unknown stream as empty", async () => {
      const store = await factory();
      expect(await store.readStream(newStream())).toEqual([]);
    });

    it("yields every stream whole and in version order from readAll", async () => {
      const store = await factory();
      const streams = [newStream(), newStream(), newStream()];
      for (const [i, stream] of streams.entries()) {
        await store.append(
          stream,
          0,
          Array.from({ length: i + 1 }, (_, n) => event("t.A.v1", n)),
        );
        await store.append(stream, i + 1, [event("t.A.v1", "last")]);
      }
      const seen = new Map<string, number[]>();
      for await (const whole of store.readAll()) {
        const id = whole[0]!.streamId;
        expect(whole.every((e) => e.streamId === id)).toBe(true);
        expect(seen.has(id)).toBe(false);
        seen.set(
          id,
          whole.map((e) => e.version),
        );
      }
      for (const [i, stream] of streams.entries()) expect(seen.get(stream)).toEqual(Array.from({ length: i + 2 }, (_, n) => n + 1));
    });

    it("upcasts old event shapes on read, chaining versions", async () => {
      const upcast = createUpcaster({
        "t.Named.v1": (e) => ({ ...e, type: "t.Named.v2", data: { fullName: (e.data as { name: string }).name } }),
        "t.Named.v2": (e) => ({ ...e, type: "t.Named.v3", data: { ...(e.data as object), source: "upcast" } }),
      });
      const store = await factory({ upcast });
      const stream = newStream();
      await store.append(stream, 0, [event("t.Named.v1", { name: "Ada" }), event("t.Named.v3", { fullName: "Grace", source: "new" })]);
      expect((await store.readStream(stream)).map((e) => [e.type, e.data])).toEqual([
        ["t.Named.v3", { fullName: "Ada", source: "upcast" }],
        ["t.Named.v3", { fullName: "Grace", source: "new" }],
      ]);
      const all: unknown[] = [];
      for await (const whole of store.readAll()) if (whole[0]!.streamId === stream) all.push(...whole.map((e) => e.type));
      expect(all).toEqual(["t.Named.v3", "t.Named.v3"]);
    });
  });
};
