import { ConcurrencyError, type Decider, type DomainEvent } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { createCommandHandler } from "./commandHandler.js";
import type { EventStore } from "./eventStore.js";
import { createMemoryEventStore } from "./memoryEventStore.js";
import { createMemorySnapshotStore } from "./snapshotStore.js";

type Added = DomainEvent<"t.Added.v1", { n: number }>;
const counter: Decider<{ add: number }, Added, { total: number }> = {
  initialState: () => ({ total: 0 }),
  decide: (command) => (command.add === 0 ? [] : [{ type: "t.Added.v1", data: { n: command.add } }]),
  evolve: (state, event) => ({ total: state.total + event.data.n }),
};

/** Counts how many events the handler reads, to prove snapshots spare the fold. */
const countingStore = (inner: EventStore) => {
  let read = 0;
  const store: EventStore = {
    append: (...args) => inner.append(...args),
    readAll: () => inner.readAll(),
    async readStream(streamId, options) {
      const events = await inner.readStream(streamId, options);
      read += events.length;
      return events;
    },
  };
  return { store, read: () => read, reset: () => (read = 0) };
};

const context = { metadata: { causationId: "c", correlationId: "r", actor: "test" } };
let id = 0;
/** The counter's typed decode of a stored event. */
const decode = (event: DomainEvent): Added => ({ type: "t.Added.v1", data: { n: (event.data as { n: number }).n } });
const deps = { decode, newEventId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}`, now: () => new Date(0) };

describe("command handler", () => {
  it("loads, decides, appends at the loaded version and returns the new position", async () => {
    const eventStore = createMemoryEventStore();
    const handle = createCommandHandler({ decider: counter, eventStore, append: eventStore.append, ...deps });
    await handle("s", { add: 2 }, context);
    const result = await handle("s", { add: 3 }, context);
    expect(result).toMatchObject({ streamId: "s", version: 2, state: { total: 5 } });
    expect(result.events.map((e) => [e.version, e.data])).toEqual([[2, { n: 3 }]]);
  });

  it("appends nothing when the decider decides nothing", async () => {
    const eventStore = createMemoryEventStore();
    const handle = createCommandHandler({ decider: counter, eventStore, append: eventStore.append, ...deps });
    await handle("s", { add: 1 }, context);
    expect(await handle("s", { add: 0 }, context)).toMatchObject({ version: 1, events: [] });
  });

  it("surfaces a concurrent writer as ConcurrencyError", async () => {
    const eventStore = createMemoryEventStore();
    // Another writer slips in between this handler's read and its append.
    const append: typeof eventStore.append = async (stream, expected, events) => {
      await eventStore.append(stream, expected, [{ ...events[0]!, eventId: "other" }]);
      return eventStore.append(stream, expected, events);
    };
    const handle = createCommandHandler({ decider: counter, eventStore, append, ...deps });
    await expect(handle("s", { add: 1 }, context)).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it("takes a snapshot every N events and folds only what came after it", async () => {
    const counting = countingStore(createMemoryEventStore());
    const snapshots = createMemorySnapshotStore();
    const handle = createCommandHandler({
      decider: counter,
      eventStore: counting.store,
      append: counting.store.append,
      snapshots: { store: snapshots, every: 10, schema: 1 },
      ...deps,
    });
    for (let i = 0; i < 23; i++) await handle("s", { add: 1 }, context);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await snapshots.load("s")).toEqual({ version: 20, schema: 1, state: { total: 20 } });
    counting.reset();
    expect((await handle("s", { add: 1 }, context)).state).toEqual({ total: 24 });
    expect(counting.read()).toBe(3);
  });

  it("ignores a snapshot of another state schema", async () => {
    const eventStore = createMemoryEventStore();
    const snapshots = createMemorySnapshotStore();
    await snapshots.save("s", { version: 1, schema: 0, state: { total: 999 } });
    const handle = createCommandHandler({
      decider: counter,
      eventStore,
      append: eventStore.append,
      snapshots: { store: snapshots, every: 10, schema: 1 },
      ...deps,
    });
    await eventStore.append("s", 0, [{ eventId: "e1", type: "t.Added.v1", data: { n: 1 }, recordedAt: new Date(0), metadata: context.metadata }]);
    expect((await handle("s", { add: 1 }, context)).state).toEqual({ total: 2 });
  });
});

describe("command handler with an expected version", () => {
  it("applies at the expected version and refuses any other", async () => {
    const eventStore = createMemoryEventStore();
    const handle = createCommandHandler({ decider: counter, eventStore, append: eventStore.append, ...deps });
    await handle("s", { add: 1 }, context);
    await expect(handle("s", { add: 1 }, { ...context, expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await handle("s", { add: 1 }, { ...context, expectedVersion: 1 })).toMatchObject({ version: 2 });
  });
});

describe("command handler for commands that start a stream", () => {
  const startsStream = () => true;

  it("appends at version 0 without reading the stream or its snapshot", async () => {
    const counting = countingStore(createMemoryEventStore());
    let readStreams = 0;
    let snapshotLoads = 0;
    const store: EventStore = { ...counting.store, readStream: (...args) => (readStreams++, counting.store.readStream(...args)) };
    const memorySnapshots = createMemorySnapshotStore();
    const snapshots = { ...memorySnapshots, load: (streamId: string) => (snapshotLoads++, memorySnapshots.load(streamId)) };
    const handle = createCommandHandler({
      decider: counter,
      eventStore: store,
      append: store.append,
      snapshots: { store: snapshots, every: 10, schema: 1 },
      startsStream,
      ...deps,
    });
    expect(await handle("new", { add: 4 }, context)).toMatchObject({ version: 1, state: { total: 4 } });
    expect([readStreams, snapshotLoads]).toEqual([0, 0]);
  });

  it("decides against the stream as it is when it exists after all (a retry)", async () => {
    const eventStore = createMemoryEventStore();
    await eventStore.append("s", 0, [{ eventId: "e1", type: "t.Added.v1", data: { n: 1 }, recordedAt: new Date(0), metadata: context.metadata }]);
    const handle = createCommandHandler({ decider: counter, eventStore, append: eventStore.append, startsStream, ...deps });
    expect(await handle("s", { add: 2 }, context)).toMatchObject({ version: 2, state: { total: 3 } });
    expect((await eventStore.readStream("s")).map((e) => e.version)).toEqual([1, 2]);
  });

  it("answers a no-op from the stream as it is, not from the initial state", async () => {
    const eventStore = createMemoryEventStore();
    await eventStore.append("s", 0, [{ eventId: "e1", type: "t.Added.v1", data: { n: 5 }, recordedAt: new Date(0), metadata: context.metadata }]);
    const handle = createCommandHandler({ decider: counter, eventStore, append: eventStore.append, startsStream, ...deps });
    expect(await handle("s", { add: 0 }, context)).toMatchObject({ version: 1, events: [], state: { total: 5 } });
  });
});
