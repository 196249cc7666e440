import { randomUUID } from "node:crypto";
import { RuleViolationError, type EventEnvelope } from "@bazaar/core";
import { connectCassandra, ensureKeyspace } from "@bazaar/event-store";
import { connectNats, createEventPublisher } from "@bazaar/messaging";
import { createLogger } from "@bazaar/runtime";
import { stack, uniqueName, waitFor } from "@bazaar/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCassandraCheckpoints, ensureCheckpointSchema, startReactor } from "./reactor.js";

const keyspace = uniqueName("reactor_test");
const stream = { name: uniqueName("REACT").toUpperCase(), subjects: [] as string[], duplicateWindowMs: 1000 };
stream.subjects = [`${stream.name.toLowerCase()}.>`];
let client: cassandra.Client;
let nats: NatsConnection;

beforeAll(async () => {
  client = await connectCassandra(stack.cassandra);
  await ensureKeyspace(client, keyspace, 1);
  await ensureCheckpointSchema(client, keyspace);
  nats = await connectNats({ ...stack.nats, name: "reactor-test" });
});

afterAll(async () => {
  await (await jetstreamManager(nats)).streams.delete(stream.name).catch(() => undefined);
  await nats.close();
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
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

describe("reactor", () => {
  it("handles each source stream's events once, in version order, past duplicates, gaps and refusals", async () => {
    const handled: string[] = [];
    let failOnce = true;
    const reactor = await startReactor({
      js: jetstream(nats),
      jsm: await jetstreamManager(nats),
      reaction: {
        name: "recorder",
        source: "test",
        async handle(e) {
          if (e.type === "t.Refused.v1") throw new RuleViolationError("refused by a rule");
          if (e.version === 2 && e.streamId === "a" && failOnce) {
            failOnce = false;
            throw new Error("transient");
          }
          handled.push(`${e.streamId}@${e.version}`);
        },
      },
      durable: uniqueName("recorder"),
      stream,
      checkpoints: createCassandraCheckpoints(client, keyspace),
      logger: createLogger("reactor-test"),
    });
    try {
      const publish = createEventPublisher(jetstream(nats), (e) => `${stream.name.toLowerCase()}.${e.streamId}`);
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
});
