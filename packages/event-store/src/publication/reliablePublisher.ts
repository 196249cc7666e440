import { ConcurrencyError, type EventEnvelope } from "@bazaar/core";
import type { Append } from "../commandHandler.js";
import type { EventStore } from "../eventStore.js";
import { crashPoint } from "../faults.js";
import type { Outbox } from "./outbox.js";
import { noPublicationMetrics, type PublicationMetrics } from "./publicationMetrics.js";

export interface EventSink {
  /** Publishes in order; each event's id is its dedupe key downstream (`Nats-Msg-Id`). */
  publish(events: readonly EventEnvelope[]): Promise<void>;
}

export interface ReliablePublisher {
  /** Appends, then publishes at once; if anything after the store fails, the relay finishes it. */
  append: Append;
  /** Waits for in-flight publications (graceful shutdown). */
  flush(): Promise<void>;
}

/**
 * The fast path of crash-safe publication: a pending row before the append, publish right
 * after it, then clear the row. A process that dies anywhere in between leaves the pending row
 * behind, and the relay republishes exactly the versions it names.
 */
export const createReliablePublisher = (deps: {
  eventStore: EventStore;
  outbox: Outbox;
  sink: EventSink;
  metrics?: PublicationMetrics;
  onError?: (error: unknown, streamId: string) => void;
}): ReliablePublisher => {
  const { eventStore, outbox, sink } = deps;
  const metrics = deps.metrics ?? noPublicationMetrics;
  // Publications of one stream run one after another, so this process publishes in version order.
  const tails = new Map<string, Promise<void>>();

  const publishInOrder = (streamId: string, work: () => Promise<void>): Promise<void> => {
    const next = (tails.get(streamId) ?? Promise.resolve()).then(work);
    const tail = next.catch(() => undefined);
    tails.set(streamId, tail);
    void tail.then(() => {
      if (tails.get(streamId) === tail) tails.delete(streamId);
    });
    return next;
  };

  return {
    async append(streamId, expectedVersion, events) {
      const pending = await outbox.markPending(streamId, expectedVersion + 1, events.length, new Date());
      let result;
      try {
        result = await eventStore.append(streamId, expectedVersion, events);
      } catch (error) {
        // Nothing of ours was stored: the row can go. (An unknown outcome keeps it for the relay.)
        if (error instanceof ConcurrencyError) await outbox.clearPending(pending).catch(() => undefined);
        throw error;
      }
      crashPoint("after-store");
      const stored = result.events;
      try {
        await publishInOrder(streamId, async () => {
          await sink.publish(stored);
          metrics.published(stored, "fast");
          crashPoint("after-publish");
          await outbox.clearPending(pending);
        });
      } catch (error) {
        // Stored is acknowledged: the command succeeded. The pending row stays for the relay.
        metrics.failed("fast");
        deps.onError?.(error, streamId);
      }
      return result;
    },
    async flush() {
      await Promise.all(tails.values());
    },
  };
};
