import { randomUUID } from "node:crypto";
import { RuleViolationError, type EventEnvelope } from "@bazaar/core";
import { createEventPublisher, missingFromJetStream } from "@bazaar/messaging";
import { createLogger } from "@bazaar/runtime";
import { openTestStores, uniqueName, waitFor, type TestStores } from "@bazaar/testing";
import { jetstream } from "@nats-io/jetstream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCassandraCheckpoints, ensureCheckpointSchema, reactionTo, startReactor, type Reaction, type ReactionCheckpoints } from "./reactor.js";

const stream = { name: uniqueName("REACT").toUpperCase(), subjects: [] as string[], duplicateWindowMs: 1000 };
stream.subjects = [`${stream.name.toLowerCase()}.>`];
let stores: TestStores;

beforeAll(async () => {
  stores = await openTestStores("reactor", [ensureCheckpointSchema]);
});

afterAll(async () => {
  await stores.jsm.streams.delete(stream.name).catch(() => undefined);
  await stores.close();
});

const event = (streamId: string, version: number, type = "t.Happened.v1"): EventEnvelope => ({
  eventId: randomUUID(),
  type,
  streamId,
  version,
  recordedAt: new Date(),
  data: { version },
  metadata: { causationId: "c", correlationId: "r", actor: "test" },
});

const subjectOf = (streamId: string) => `${stream.name.toLowerCase()}.${streamId}`;
const missingFromTestStream = () => missingFromJetStream(jetstream(stores.nats), stream.name, subjectOf);
const testStreamPublisher = () => createEventPublisher(jetstream(stores.nats), (e) => subjectOf(e.streamId));

/**
 * A reactor on the test stream, its consumer created: a fresh durable, gaps read back from
 * JetStream, checkpoints in the test's keyspace — unless `options` says otherwise.
 */
const startTestReactor = (reaction: Reaction, options: Partial<Parameters<typeof startReactor>[0]> = {}) =>
  startReactor({
    create: true,
    js: jetstream(stores.nats),
    jsm: stores.jsm,
    reaction,
    durable: uniqueName(reaction.name),
    stream,
    missing: missingFromTestStream(),
    checkpoints: createCassandraCheckpoints(stores.cassandra, stores.keyspace),
    logger: createLogger("reactor-test"),
    ...options,
  });

describe("reactor", () => {
  it("handles each source stream's events once, in version order, past duplicates, gaps and refusals", async () => {
    const handled: string[] = [];
    let failOnce = true;
    const reactor = await startTestReactor({
      name: "recorder",
      source: "test",
      handles: new Set(["t.Happened.v1", "t.Refused.v1"]),
      async handle(e) {
        if (e.type === "t.Refused.v1") throw new RuleViolationError("refused by a rule");
        if (e.version === 2 && e.streamId === "a" && failOnce) {
          failOnce = false;
          throw new Error("transient");
        }
        handled.push(`${e.streamId}@${e.version}`);
      },
    });
    try {
      const publish = testStreamPublisher();
      const a = [1, 2, 3, 4].map((v) => event("a", v));
      const b = [event("b", 1), event("b", 2, "t.Refused.v1"), event("b", 3)];
      // Out of order, with a redelivered duplicate under a fresh id.
      await publish.publish([a[2]!, a[0]!, b[0]!, a[1]!, b[1]!, { ...a[0]!, eventId: randomUUID() }, a[3]!, b[2]!]);
      await waitFor("all handled", async () => (handled.length >= 6 ? true : undefined), { timeoutMs: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(handled.filter((h) => h.startsWith("a"))).toEqual(["a@1", "a@2", "a@3", "a@4"]);
      // b@2 was refused for good: dead-lettered, and b moved on.
      expect(handled.filter((h) => h.startsWith("b"))).toEqual(["b@1", "b@3"]);
    } finally {
      await reactor.stop();
    }
  });

  it("reads a stream's checkpoint from the store once, then goes on from the one it wrote; a gap beyond it is read again", async () => {
    const checkpoints = createCassandraCheckpoints(stores.cassandra, stores.keyspace);
    const reads: string[] = [];
    const handled: { streamId: string; version: number }[] = [];
    const handledOf = (streamId: string) => handled.filter((h) => h.streamId === streamId).map((h) => h.version);
    const durable = uniqueName("counted");
    const reactor = await startTestReactor(
      {
        name: "counted",
        source: "test",
        handles: new Set(["t.Happened.v1"]),
        handle: async (e) => void handled.push({ streamId: e.streamId, version: e.version }),
      },
      {
        durable,
        checkpoints: {
          get: async (reaction, streamId) => (reads.push(streamId), checkpoints.get(reaction, streamId)),
          set: (...args) => checkpoints.set(...args),
        },
      },
    );
    try {
      const publish = testStreamPublisher();
      const streamId = `counted-${randomUUID()}`;
      for (const version of [1, 2, 3, 4, 5]) {
        await publish.publish([event(streamId, version)]);
        await waitFor(`version ${version} handled`, async () => (handledOf(streamId).includes(version) ? true : undefined), { timeoutMs: 10_000 });
      }
      // (The consumer also reads the streams earlier tests published: only this one counts.)
      expect(reads.filter((id) => id === streamId)).toEqual([streamId]);
      // Another process sharing the consumer moved the checkpoint to 7: version 8 is no gap.
      await checkpoints.set(durable, streamId, 7);
      await publish.publish([event(streamId, 8)]);
      await waitFor("version 8 handled", async () => (handledOf(streamId).includes(8) ? true : undefined), { timeoutMs: 10_000 });
      expect(reads.filter((id) => id === streamId)).toEqual([streamId, streamId]);
      expect(handledOf(streamId)).toEqual([1, 2, 3, 4, 5, 8]);
    } finally {
      await reactor.stop();
    }
  });

  it("passes the events its reaction does not handle without a checkpoint; a process that forgot them reads them back, never a false gap", async () => {
    const store = createCassandraCheckpoints(stores.cassandra, stores.keyspace);
    const statements: string[] = [];
    const counted: ReactionCheckpoints = {
      get: async (reaction, streamId) => (statements.push(`get ${streamId}`), store.get(reaction, streamId)),
      set: async (reaction, streamId, version) => (statements.push(`set ${streamId}@${version}`), store.set(reaction, streamId, version)),
    };
    const handled: string[] = [];
    const missingAsked: string[] = [];
    const fromJetStream = missingFromTestStream();
    const durable = uniqueName("picky");
    const streamId = `picky-${randomUUID()}`;
    const start = () =>
      startTestReactor(
        reactionTo({
          name: "picky",
          source: "test",
          on: { "t.Wanted.v1": async (e) => void handled.push(`${e.streamId === streamId ? "" : "other "}${e.version}`) },
        }),
        {
          durable,
          missing: async (id, from, to) => (id === streamId && missingAsked.push(`${from}-${to}`), fromJetStream(id, from, to)),
          checkpoints: counted,
        },
      );
    const mine = () => statements.filter((s) => s.includes(streamId)).map((s) => s.replace(` ${streamId}`, ""));
    const publish = testStreamPublisher();
    const publishInTurn = async (versions: number[], wanted: number[]) => {
      for (const version of versions) await publish.publish([event(streamId, version, wanted.includes(version) ? "t.Wanted.v1" : "t.Ignored.v1")]);
    };
    let reactor = await start();
    try {
      // 1 and 7 are the reaction's; 2–6 (think: 20 OrderProductRenamed of one order) are not.
      await publishInTurn([1, 2, 3, 4, 5, 6, 7], [1, 7]);
      await waitFor("version 7 handled", async () => (handled.includes("7") ? true : undefined), { timeoutMs: 10_000 });
      expect(handled.filter((h) => !h.startsWith("other"))).toEqual(["1", "7"]);
      expect(mine()).toEqual(["get", "set@1", "set@7"]);
      // 8 and 9 pass by, then the process stops: the store still says 7.
      await publishInTurn([8, 9], []);
      await waitFor("8 and 9 acknowledged", async () => ((await stores.jsm.consumers.info(stream.name, durable)).num_pending === 0 ? true : undefined), {
        timeoutMs: 10_000,
      });
      expect(mine()).toEqual(["get", "set@1", "set@7"]);
      expect(missingAsked).toEqual([]);
    } finally {
      await reactor.stop();
    }
    reactor = await start();
    try {
      // A new process knows only the store's 7: 10 is a gap until 8 and 9 are read back and passed.
      await publishInTurn([10], [10]);
      await waitFor("version 10 handled", async () => (handled.includes("10") ? true : undefined), { timeoutMs: 10_000 });
      expect(handled.filter((h) => !h.startsWith("other"))).toEqual(["1", "7", "10"]);
      expect(missingAsked).toEqual(["8-9"]);
      expect(mine()).toEqual(["get", "set@1", "set@7", "get", "set@10"]);
    } finally {
      await reactor.stop();
    }
  });

  it("reads versions it was not delivered back from JetStream, even from beyond its max-ack-pending window", async () => {
    // Version 1 of each source stream is published only after 60 later versions of each (a
    // writer died between store and publish; the relay finished it): 300 parked events would
    // fill the reactor's window of 256, and version 1 would never be delivered to it.
    const handled = new Map<string, number[]>();
    const reactor = await startTestReactor({
      name: "gaps",
      source: "test",
      handles: new Set(["t.Happened.v1"]),
      async handle(e) {
        handled.set(e.streamId, [...(handled.get(e.streamId) ?? []), e.version]);
      },
    });
    try {
      const publish = testStreamPublisher();
      const streams = Array.from({ length: 5 }, () => `g-${randomUUID()}`);
      const all = Array.from({ length: 61 }, (_, i) => i + 1);
      const events = streams.map((s) => all.map((v) => event(s, v)));
      for (let v = 1; v < 61; v++) await publish.publish(events.map((e) => e[v]!));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await publish.publish(events.map((e) => e[0]!));
      await waitFor("every stream handled to its last version", async () => (streams.every((s) => handled.get(s)?.length === 61) ? true : undefined), {
        timeoutMs: 20_000,
      });
      for (const s of streams) expect(handled.get(s)).toEqual(all);
    } finally {
      await reactor.stop();
    }
  });
});
