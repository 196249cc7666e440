import type { EventStore } from "../eventStore.js";
import { bucketOf, OUTBOX_SHARDS, type Outbox, type PendingPublication } from "./outbox.js";
import { noPublicationMetrics, type PublicationMetrics } from "./publicationMetrics.js";
import type { EventSink } from "./reliablePublisher.js";

export interface RelayOptions {
  eventStore: EventStore;
  outbox: Outbox;
  sink: EventSink;
  metrics?: PublicationMetrics;
  /** A pending row younger than this may still be on its fast path. */
  staleAfterMs?: number;
  intervalMs?: number;
  /** How far back the first pass looks for rows a dead process left behind. */
  lookbackMs?: number;
  onError?: (error: unknown) => void;
}

export interface Relay {
  /** One pass over the outbox; resolves with the number of events republished. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The recovery path of crash-safe publication. Finds pending rows older than `staleAfterMs`
 * and republishes the versions each names, oldest first per stream. JetStream's dedupe
 * (`Nats-Msg-Id`, within its window) and the consumers' version checks absorb anything that
 * had in fact been published already.
 */
export const startRelay = (options: RelayOptions): Relay => {
  const { eventStore, outbox, sink } = options;
  const metrics = options.metrics ?? noPublicationMetrics;
  const staleAfterMs = options.staleAfterMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 1_000;
  let oldestOpenBucket = bucketOf(Date.now() - (options.lookbackMs ?? 6 * 3_600_000));

  /** Publishes what a pending row names; an append that never landed leaves nothing to publish. */
  const republish = async (pending: PendingPublication): Promise<number> => {
    const last = pending.firstVersion + pending.count - 1;
    const events = (await eventStore.readStream(pending.streamId, { fromVersion: pending.firstVersion })).filter((e) => e.version <= last);
    if (events.length > 0) {
      try {
        await sink.publish(events);
      } catch (error) {
        metrics.failed("relay");
        throw error;
      }
      metrics.published(events, "relay");
    }
    await outbox.clearPending([pending]);
    return events.length;
  };

  const runOnce = async (): Promise<number> => {
    const now = Date.now();
    const cutoff = now - staleAfterMs;
    let republished = 0;
    let stillOpen = bucketOf(cutoff);
    for (let bucket = oldestOpenBucket; bucket <= bucketOf(now); bucket++) {
      const shards = Array.from({ length: OUTBOX_SHARDS }, (_, shard) => outbox.pendingIn(bucket, shard));
      const rows = (await Promise.all(shards)).flat();
      const stale = new Map<string, PendingPublication[]>();
      for (const row of rows) {
        if (row.createdAt.getTime() > cutoff) continue;
        const ofStream = stale.get(row.streamId);
        if (ofStream) ofStream.push(row);
        else stale.set(row.streamId, [row]);
      }
      for (const pending of stale.values()) {
        try {
          for (const row of pending.sort((a, b) => a.firstVersion - b.firstVersion)) republished += await republish(row);
        } catch (error) {
          stillOpen = Math.min(stillOpen, bucket);
          options.onError?.(error);
        }
      }
    }
    oldestOpenBucket = stillOpen;
    return republished;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const loop = () => {
    if (stopped) return;
    running = runOnce()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  timer = setTimeout(loop, 0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
