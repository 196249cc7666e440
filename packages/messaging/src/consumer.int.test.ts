import { randomUUID } from "node:crypto";
import type { EventEnvelope } from "@bazaar/core";
import { openTestStores, uniqueName, waitFor, type TestStores } from "@bazaar/testing";
import { jetstream } from "@nats-io/jetstream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { done, startConsumer, type Delivery } from "./consumer.js";
import { createEventPublisher } from "./eventPublisher.js";
import { ensureStream } from "./streams.js";

const streamName = uniqueName("LINGER").toUpperCase();
const subjectRoot = streamName.toLowerCase();
let stores: TestStores;

beforeAll(async () => {
  stores = await openTestStores("consumer_linger", []);
  await ensureStream(stores.jsm, { name: streamName, subjects: [`${subjectRoot}.>`], duplicateWindowMs: 120_000 });
});

afterAll(async () => {
  await stores.jsm.streams.delete(streamName);
  await stores.close();
});

const silent = { info() {}, warn() {}, error() {} };
const event = (streamId: string, version: number): EventEnvelope => ({
  eventId: randomUUID(),
  type: "t.Happened.v1",
  streamId,
  version,
  data: {},
  recordedAt: new Date(),
  metadata: { causationId: "c", correlationId: "r", actor: "test" },
});

/** A consumer of the test stream that records each batch it is handed, with when. */
const recordingConsumer = async (streamId: string, options: { batchSize: number; lingerMs?: number }) => {
  const batches: { size: number; at: number }[] = [];
  const consumer = await startConsumer({
    js: jetstream(stores.nats),
    jsm: stores.jsm,
    stream: streamName,
    filterSubjects: [`${subjectRoot}.${streamId}`],
    name: `linger-${randomUUID().slice(0, 8)}`,
    durable: null,
    logger: silent,
    ...options,
    async handle(deliveries: readonly Delivery[]) {
      batches.push({ size: deliveries.length, at: performance.now() });
      return deliveries.map(() => done);
    },
  });
  return { batches, consumer };
};

const handled = (batches: { size: number }[]) => batches.reduce((n, b) => n + b.size, 0);

const publish = async (streamId: string, count: number) => {
  const publisher = createEventPublisher(jetstream(stores.nats), (e) => `${subjectRoot}.${e.streamId}`);
  const started = performance.now();
  await publisher.publish(Array.from({ length: count }, (_, i) => event(streamId, i + 1)));
  return started;
};

describe("a consumer that lingers", () => {
  it("lets a batch that is not full wait for more events, up to lingerMs, and hands them over as one", async () => {
    const streamId = `s-${randomUUID()}`;
    const { batches, consumer } = await recordingConsumer(streamId, { batchSize: 50, lingerMs: 400 });
    try {
      const started = await publish(streamId, 5);
      await waitFor("5 events handled", async () => (handled(batches) === 5 ? true : undefined), { timeoutMs: 5_000 });
      expect(batches.map((b) => b.size)).toEqual([5]);
      expect(batches[0]!.at - started).toBeGreaterThanOrEqual(350);
    } finally {
      await consumer.stop();
    }
  });

  it("does not wait once the batch is full", async () => {
    const streamId = `s-${randomUUID()}`;
    const { batches, consumer } = await recordingConsumer(streamId, { batchSize: 4, lingerMs: 60_000 });
    try {
      await publish(streamId, 8);
      await waitFor("8 events handled", async () => (handled(batches) === 8 ? true : undefined), { timeoutMs: 5_000 });
      expect(batches.map((b) => b.size)).toEqual([4, 4]);
    } finally {
      await consumer.stop();
    }
  });

  it("without lingerMs hands over whatever has arrived at once", async () => {
    const streamId = `s-${randomUUID()}`;
    const { batches, consumer } = await recordingConsumer(streamId, { batchSize: 50 });
    try {
      const started = await publish(streamId, 1);
      await waitFor("1 batch handled", async () => (batches.length === 1 ? true : undefined), { timeoutMs: 5_000 });
      expect(batches[0]!.at - started).toBeLessThan(300);
    } finally {
      await consumer.stop();
    }
  });
});
