import { randomUUID } from "node:crypto";
import { ConcurrencyError, type EventEnvelope, type NewEvent } from "@bazaar/core";
import { createEventPublisher, decodeEnvelope, ensureStream } from "@bazaar/messaging";
import { openTestStores, uniqueName, type TestStores } from "@bazaar/testing";
import { jetstream } from "@nats-io/jetstream";
import cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCassandraEventStore } from "../cassandraEventStore.js";
import type { EventStore } from "../eventStore.js";
import { ensureEventSourcingSchema } from "../schema.js";
import { createCassandraOutbox, OUTBOX_SHARDS, bucketOf, shardOf, type Outbox } from "./outbox.js";
import { createReliablePublisher, type EventSink } from "./reliablePublisher.js";
import { createRelay, startRelay } from "./relay.js";

const streamName = uniqueName("PUBTEST").toUpperCase();
const subjectRoot = streamName.toLowerCase();
let stores: TestStores;
let eventStore: EventStore;
let outbox: Outbox;
let sink: EventSink;

beforeAll(async () => {
  stores = await openTestStores("publication", [ensureEventSourcingSchema]);
  await ensureStream(stores.jsm, { name: streamName, subjects: [`${subjectRoot}.>`], duplicateWindowMs: 120_000 });
  eventStore = createCassandraEventStore(stores.cassandra, stores.keyspace);
  outbox = createCassandraOutbox(stores.cassandra, stores.keyspace);
  sink = createEventPublisher(jetstream(stores.nats), (e) => `${subjectRoot}.${e.streamId}`);
});

afterAll(async () => {
  await stores.jsm.streams.delete(streamName);
  await stores.close();
});

const newEvent = (data: unknown): NewEvent => ({
  eventId: randomUUID(),
  type: "t.Happened.v1",
  data,
  recordedAt: new Date(),
  metadata: { causationId: "c", correlationId: "r", actor: "test" },
});

/** Every message in the test stream for these streams, decoded, in stream order. */
const published = async (streamIds: string[]): Promise<EventEnvelope[]> => {
  const events: EventEnvelope[] = [];
  for (const streamId of streamIds) {
    const consumer = await jetstream(stores.nats).consumers.get(streamName, { filter_subjects: [`${subjectRoot}.${streamId}`] });
    const pending = (await consumer.info()).num_pending;
    if (pending === 0) continue;
    const batch = await consumer.fetch({ max_messages: pending, expires: 2000 });
    for await (const msg of batch) events.push(decodeEnvelope(msg.headers, msg.data));
  }
  return events;
};

/** The versions published for one stream, in stream order. */
const publishedVersions = async (streamId: string) => (await published([streamId])).map((e) => e.version);

/** The outbox's pending rows of one stream, in the current time bucket and the one before. */
const pendingRowsOf = async (streamId: string) => {
  const bucket = bucketOf(Date.now());
  const rows = await Promise.all([bucket - 1, bucket].flatMap((b) => Array.from({ length: OUTBOX_SHARDS }, (_, s) => outbox.pendingIn(b, s))));
  return rows.flat().filter((r) => r.streamId === streamId);
};

/** The outbox as a writer whose pending rows were written `agoMs` ago sees it. */
const backdated = (agoMs: number): Outbox => ({
  ...outbox,
  markPending: (streamId, first, count) => outbox.markPending(streamId, first, count, new Date(Date.now() - agoMs)),
});

const failingSink: EventSink = {
  async publish() {
    throw new Error("NATS is down (simulated)");
  },
};

describe("reliable publication", () => {
  it("publishes at once and leaves nothing pending", async () => {
    const publisher = createReliablePublisher({ eventStore, outbox, sink });
    const streamId = `s-${randomUUID()}`;
    await publisher.append(streamId, 0, [newEvent(1), newEvent(2)]);
    await publisher.append(streamId, 2, [newEvent(3)]);
    await publisher.flush();
    expect(await publishedVersions(streamId)).toEqual([1, 2, 3]);
    expect(await pendingRowsOf(streamId)).toEqual([]);
  });

  it("clears many rows of one partition in few batches, none over 32 deletes (Cassandra warns above 5 KiB)", async () => {
    const batchSizes: number[] = [];
    const recording = new Proxy(stores.cassandra, {
      get: (client, key) =>
        key === "batch"
          ? (queries: unknown[], options: unknown) => {
              batchSizes.push(queries.length);
              return client.batch(queries as Parameters<typeof client.batch>[0], options as Parameters<typeof client.batch>[1]);
            }
          : Reflect.get(client, key, client),
    });
    const clearing = createCassandraOutbox(recording, stores.keyspace);
    const sameShard = Array.from({ length: 2_000 }, () => `c-${randomUUID()}`)
      .filter((id) => shardOf(id) === 0)
      .slice(0, 70);
    const at = new Date();
    const rows = await Promise.all(sameShard.map((streamId) => outbox.markPending(streamId, 1, 1, at)));
    const ours = async () => (await outbox.pendingIn(bucketOf(at.getTime()), 0)).filter((r) => sameShard.includes(r.streamId));
    expect(await ours()).toHaveLength(70);
    await clearing.clearPending(rows);
    expect(await ours()).toEqual([]);
    expect(batchSizes).toEqual([32, 32, 6]);
  });

  it("acknowledges a stored command even when publishing fails, and the relay publishes it later, once", async () => {
    const failing = createReliablePublisher({ eventStore, outbox, sink: failingSink });
    const streamId = `s-${randomUUID()}`;
    const result = await failing.append(streamId, 0, [newEvent("a"), newEvent("b")]);
    expect(result.nextExpectedVersion).toBe(2);
    await failing.flush();
    expect(await published([streamId])).toEqual([]);
    expect(await pendingRowsOf(streamId)).toHaveLength(1);

    const relay = createRelay({ eventStore, outbox, sink, staleAfterMs: 0 });
    try {
      expect((await relay.runOnce()).republished).toBeGreaterThanOrEqual(2);
      expect(await relay.runOnce()).toEqual({ leading: true, republished: 0, pending: 0 });
    } finally {
      await relay.release();
    }
    const events = await published([streamId]);
    expect(events.map((e) => e.version)).toEqual([1, 2]);
    expect(events.map((e) => e.eventId)).toEqual(result.events.map((e) => e.eventId));
    expect(await pendingRowsOf(streamId)).toEqual([]);
  });

  it("never publishes a version ahead of one whose publish failed: the next publish of the stream carries both, in order", async () => {
    let failNext = false;
    const flaky: EventSink = {
      async publish(events) {
        if (failNext) {
          failNext = false;
          throw new Error("NATS timed out (simulated)");
        }
        await sink.publish(events);
      },
    };
    const publisher = createReliablePublisher({ eventStore, outbox, sink: flaky });
    const streamId = `s-${randomUUID()}`;
    await publisher.append(streamId, 0, [newEvent(1)]);
    await publisher.flush();
    failNext = true;
    await publisher.append(streamId, 1, [newEvent(2)]);
    await publisher.flush();
    expect(await publishedVersions(streamId)).toEqual([1]);
    await publisher.append(streamId, 2, [newEvent(3)]);
    await publisher.flush();
    expect(await publishedVersions(streamId)).toEqual([1, 2, 3]);
    expect(await pendingRowsOf(streamId)).toEqual([]);
  });

  it("republishes a command stored but never published even after later commands of the stream were published", async () => {
    const failing = createReliablePublisher({ eventStore, outbox, sink: failingSink });
    const working = createReliablePublisher({ eventStore, outbox, sink });
    const streamId = `s-${randomUUID()}`;
    await working.append(streamId, 0, [newEvent(1)]);
    await failing.append(streamId, 1, [newEvent(2), newEvent(3)]);
    await working.append(streamId, 3, [newEvent(4)]);
    await Promise.all([working.flush(), failing.flush()]);
    expect(await publishedVersions(streamId)).toEqual([1, 4]);
    const relay = createRelay({ eventStore, outbox, sink, staleAfterMs: 0 });
    expect((await relay.runOnce()).republished).toBe(2);
    await relay.release();
    expect(await publishedVersions(streamId)).toEqual([1, 4, 2, 3]);
  });

  it("does not republish a row that is not stale yet (it may still be on its fast path)", async () => {
    const failing = createReliablePublisher({ eventStore, outbox, sink: failingSink });
    const streamId = `s-${randomUUID()}`;
    await failing.append(streamId, 0, [newEvent("a")]);
    await failing.flush();
    const relay = createRelay({ eventStore, outbox, sink, staleAfterMs: 60_000 });
    expect((await relay.runOnce()).pending).toBeGreaterThanOrEqual(1);
    await relay.release();
    expect(await published([streamId])).toEqual([]);
    await outbox.clearPending(await pendingRowsOf(streamId));
  });

  it("keeps the pending row of a stored command whose publish failed when a stale writer loses the same version", async () => {
    // The winner stores version 1 and cannot publish (it died, or NATS failed); a second writer,
    // with a stale read, tries version 1 too, gets a ConcurrencyError and clears its own row.
    // Were the rows keyed by stream and version only, that would clear the winner's row as well,
    // and version 1 would never be published.
    const winner = createReliablePublisher({ eventStore, outbox, sink: failingSink });
    const loser = createReliablePublisher({ eventStore, outbox, sink });
    const streamId = `s-${randomUUID()}`;
    const stored = await winner.append(streamId, 0, [newEvent("won")]);
    await winner.flush();
    await expect(loser.append(streamId, 0, [newEvent("lost")])).rejects.toBeInstanceOf(ConcurrencyError);
    await loser.flush();
    expect(await pendingRowsOf(streamId)).toHaveLength(1);
    const relay = createRelay({ eventStore, outbox, sink, staleAfterMs: 0 });
    try {
      expect((await relay.runOnce()).republished).toBe(1);
    } finally {
      await relay.release();
    }
    expect((await published([streamId])).map((e) => e.eventId)).toEqual(stored.events.map((e) => e.eventId));
  });

  it("runs one relay per keyspace at a time: the lease holder works, another waits, and takes over once it is released", async () => {
    const failing = createReliablePublisher({ eventStore, outbox, sink: failingSink });
    const streamId = `s-${randomUUID()}`;
    await failing.append(streamId, 0, [newEvent("a")]);
    await failing.flush();
    const first = createRelay({ eventStore, outbox, sink, staleAfterMs: 0 });
    const second = createRelay({ eventStore, outbox, sink, staleAfterMs: 0 });
    try {
      expect((await first.runOnce()).leading).toBe(true);
      expect(await second.runOnce()).toEqual({ leading: false, republished: 0, pending: 0 });
      await first.release();
      expect((await second.runOnce()).leading).toBe(true);
      expect((await first.runOnce()).leading).toBe(false);
    } finally {
      await first.release();
      await second.release();
    }
    expect(await publishedVersions(streamId)).toEqual([1]);
  });

  it("has no fixed horizon: a row left 7 hours ago, before any relay ran, is still published", async () => {
    const failing = createReliablePublisher({ eventStore, outbox: backdated(7 * 3_600_000), sink: failingSink });
    const streamId = `s-${randomUUID()}`;
    await failing.append(streamId, 0, [newEvent("old")]);
    await failing.flush();
    // The keyspace is as old as that row: its low-water mark is from then.
    await stores.cassandra.execute(
      `UPDATE ${stores.keyspace}.publication_relay SET low_water = ? WHERE id = 'relay'`,
      [cassandra.types.Long.fromNumber(bucketOf(Date.now() - 7 * 3_600_000))],
      { prepare: true },
    );
    const relay = createRelay({ eventStore, outbox, sink, staleAfterMs: 0, trailingMs: 60_000 });
    try {
      expect((await relay.runOnce()).republished).toBe(0); // the latest buckets only
      expect((await relay.runOnce({ sweep: true })).republished).toBe(1);
      // The next sweep finds the old buckets empty and moves the mark up to the trailing window.
      await relay.runOnce({ sweep: true });
      expect(Math.abs((await outbox.lowWater()) - bucketOf(Date.now() - 60_000))).toBeLessThanOrEqual(1);
    } finally {
      await relay.release();
    }
    expect(await publishedVersions(streamId)).toEqual([1]);
  });

  it("keeps a row whose append may still be running; past the in-flight time, a linearizable read decides nothing landed", async () => {
    const streamId = `s-${randomUUID()}`;
    await outbox.markPending(streamId, 1, 1, new Date()); // an append that never completes
    const relay = createRelay({ eventStore, outbox, sink, staleAfterMs: 0, inFlightMs: 1_000 });
    try {
      expect(await relay.runOnce()).toMatchObject({ leading: true, pending: 1 });
      expect(await pendingRowsOf(streamId)).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await relay.runOnce()).toEqual({ leading: true, republished: 0, pending: 0 });
    } finally {
      await relay.release();
    }
    expect(await pendingRowsOf(streamId)).toEqual([]);
    expect(await published([streamId])).toEqual([]);
  });

  it("after a burst of concurrent commands on a few hot streams: no duplicate versions, every event published exactly once", async () => {
    const publisher = createReliablePublisher({ eventStore, outbox, sink });
    const hot = Array.from({ length: 4 }, () => `hot-${randomUUID()}`);
    let conflicts = 0;
    // 4 writers per stream, each appending 10 events with retry on conflict: 160 events in all.
    const writer = async (streamId: string, writerId: number) => {
      for (let n = 0; n < 10;) {
        const version = (await eventStore.readStream(streamId)).length;
        try {
          await publisher.append(streamId, version, [newEvent({ writerId, n })]);
          n++;
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          conflicts++;
        }
      }
    };
    await Promise.all(hot.flatMap((streamId) => [0, 1, 2, 3].map((w) => writer(streamId, w))));
    await publisher.flush();

    const stored = (await Promise.all(hot.map((s) => eventStore.readStream(s)))).flat();
    expect(stored).toHaveLength(160);
    for (const streamId of hot) {
      expect(stored.filter((e) => e.streamId === streamId).map((e) => e.version)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
    const events = await published(hot);
    expect(events).toHaveLength(160);
    expect(new Set(events.map((e) => e.eventId))).toEqual(new Set(stored.map((e) => e.eventId)));
    expect(conflicts).toBeGreaterThan(0);
  });

  it("an idle relay backs off to its longest interval, and still publishes a row left behind within the bound", async () => {
    // Each pass reads the newest bucket's shard 0 once: its reads are the passes.
    const passes: number[] = [];
    const counting: Outbox = {
      ...outbox,
      pendingIn: (bucket, shard) => {
        if (shard === 0 && bucket === bucketOf(Date.now())) passes.push(performance.now());
        return outbox.pendingIn(bucket, shard);
      },
    };
    const bound = { intervalMs: 50, maxIntervalMs: 400, staleAfterMs: 400 };
    const relay = startRelay({ eventStore, outbox: counting, sink, ...bound, leaseMs: 2_000, sweepEveryMs: 60_000 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      // Every 50 ms that would be 40 passes; backing off (50 → 100 → 200 → 400 …) about 7.
      expect(passes.length).toBeGreaterThanOrEqual(4);
      expect(passes.length).toBeLessThanOrEqual(10);
      const gaps = passes.slice(1).map((at, i) => at - passes[i]!);
      expect(gaps.at(-1)).toBeGreaterThanOrEqual(bound.maxIntervalMs - 20);

      const failing = createReliablePublisher({ eventStore, outbox, sink: failingSink });
      const streamId = `s-${randomUUID()}`;
      const leftAt = performance.now();
      await failing.append(streamId, 0, [newEvent("left behind")]);
      await failing.flush();
      while ((await published([streamId])).length === 0 && performance.now() - leftAt < 5_000) await new Promise((resolve) => setTimeout(resolve, 25));
      const tookMs = performance.now() - leftAt;
      expect(await publishedVersions(streamId)).toEqual([1]);
      // maxIntervalMs + staleAfterMs + intervalMs, plus the passes' own time.
      expect(tookMs).toBeLessThan(bound.maxIntervalMs + bound.staleAfterMs + bound.intervalMs + 500);
    } finally {
      await relay.stop();
    }
  });
});
