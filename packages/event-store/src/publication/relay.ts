import { randomUUID } from "node:crypto";
import { startPeriodic } from "@bazaar/runtime";
import type { EventStore } from "../eventStore.js";
import { bucketOf, OUTBOX_SHARDS, type Outbox, type PendingPublication } from "./outbox.js";
import { noPublicationMetrics, type PublicationMetrics } from "./publicationMetrics.js";
import type { EventSink } from "./reliablePublisher.js";
import { createRelayBackoff } from "./relayBackoff.js";

export interface RelayOptions {
  eventStore: EventStore;
  outbox: Outbox;
  sink: EventSink;
  metrics?: PublicationMetrics;
  /** A pending row this relay has seen for this long is no longer on its fast path. */
  staleAfterMs?: number;
  /**
   * How long an append may still be running (past the driver's timeout): until then, finding
   * none of a row's versions stored does not mean its append failed.
   */
  inFlightMs?: number;
  /** The wait between passes while they find pending rows (under load: rows in flight). */
  intervalMs?: number;
  /**
   * The longest wait between passes of an idle relay (each pass that finds nothing doubles the
   * wait from `intervalMs`). Defaults to `staleAfterMs`, and never more than half the lease so
   * the holder renews it in time. A row left by a crash is published within
   * maxIntervalMs + staleAfterMs + intervalMs (plus a pass's own time).
   */
  maxIntervalMs?: number;
  /** Every `sweepEveryMs`, all buckets from the low-water mark are scanned, not just the latest two. */
  sweepEveryMs?: number;
  /**
   * Buckets this recent are always swept, even when found empty: a row can land late (a slow
   * write) or in an older bucket (a writer whose clock lags). The mark never passes them.
   */
  trailingMs?: number;
  leaseMs?: number;
  onError?: (error: unknown) => void;
}

export interface RelayPass {
  /** False when another relay holds the lease: this one did nothing. */
  leading: boolean;
  /** Events published by this pass. */
  republished: number;
  /** Rows still pending after it (not stale yet, in flight, or failed). */
  pending: number;
}

export interface Relay {
  /** One pass over the latest two buckets, or over all from the low-water mark (`sweep`). */
  runOnce(options?: { sweep?: boolean }): Promise<RelayPass>;
  /** Gives up the lease (if held) so another relay can lead at once. */
  release(): Promise<void>;
}

export interface RunningRelay {
  runOnce: Relay["runOnce"];
  stop(): Promise<void>;
}

/**
 * The recovery path of crash-safe publication: one relay per context at a time (a lease in
 * Cassandra) finishes pending rows the fast path left behind — it republishes the versions a
 * row names, oldest first per stream; JetStream's dedupe (`Nats-Msg-Id`) and the consumers'
 * version checks absorb anything that had in fact been published. Staleness is measured on the
 * relay's own clock (since it first saw a row), never on the writer's.
 *
 * No fixed horizon: the oldest bucket still to look at is a persisted low-water mark, set when
 * the keyspace was created and moved forward only past buckets found empty and older than the
 * trailing window — so a row written before any relay ran is still found, however old.
 */
export const createRelay = (options: RelayOptions): Relay => {
  const { eventStore, outbox, sink } = options;
  const metrics = options.metrics ?? noPublicationMetrics;
  const staleAfterMs = options.staleAfterMs ?? 5_000;
  const inFlightMs = options.inFlightMs ?? 30_000;
  const trailingMs = options.trailingMs ?? 10 * 60_000;
  const leaseMs = options.leaseMs ?? 10_000;
  const owner = randomUUID();
  const firstSeen = new Map<string, number>();
  const keyOf = (row: PendingPublication) => `${row.shard}:${row.bucket}:${row.streamId}:${row.firstVersion}:${row.attempt}`;
  let leaseRenewedAt = 0;

  const leading = async (): Promise<boolean> => {
    if (Date.now() - leaseRenewedAt < leaseMs / 3) return true;
    if (!(await outbox.holdLease(owner, leaseMs))) {
      leaseRenewedAt = 0;
      return false;
    }
    leaseRenewedAt = Date.now();
    return true;
  };

  /**
   * Publishes what a row names and clears it, or clears it once its append certainly stored
   * nothing; undefined when that cannot be told yet (the append may still be running).
   */
  const finish = async (row: PendingPublication, seenFor: number): Promise<number | undefined> => {
    const last = row.firstVersion + row.count - 1;
    const read = async (linearizable: boolean) =>
      (await eventStore.readStream(row.streamId, { fromVersion: row.firstVersion, linearizable })).filter((e) => e.version <= last);
    let events = await read(false);
    if (events.length === 0) {
      if (seenFor < inFlightMs) return undefined;
      // Past any driver timeout: settle a consensus round the append may have left open, then decide.
      events = await read(true);
    }
    if (events.length > 0) {
      try {
        await sink.publish(events);
      } catch (error) {
        metrics.failed("relay");
        throw error;
      }
      metrics.published(events, "relay");
    }
    await outbox.clearPending([row]);
    firstSeen.delete(keyOf(row));
    return events.length;
  };

  /** Finishes the stale rows of one bucket. */
  const passBucket = async (bucket: number, now: number): Promise<{ republished: number; pending: number; empty: boolean }> => {
    const rows = (await Promise.all(Array.from({ length: OUTBOX_SHARDS }, (_, shard) => outbox.pendingIn(bucket, shard)))).flat();
    for (const row of rows) if (!firstSeen.has(keyOf(row))) firstSeen.set(keyOf(row), now);
    const byStream = Map.groupBy(
      rows.filter((row) => now - firstSeen.get(keyOf(row))! >= staleAfterMs),
      (row) => row.streamId,
    );
    let republished = 0;
    let finished = 0;
    for (const pending of byStream.values()) {
      try {
        for (const row of pending.sort((a, b) => a.firstVersion - b.firstVersion)) {
          const published = await finish(row, now - firstSeen.get(keyOf(row))!);
          if (published === undefined) continue;
          republished += published;
          finished += 1;
        }
      } catch (error) {
        options.onError?.(error);
      }
    }
    return { republished, pending: rows.length - finished, empty: rows.length === 0 };
  };

  const runOnce = async ({ sweep = false } = {}): Promise<RelayPass> => {
    if (!(await leading())) return { leading: false, republished: 0, pending: 0 };
    const now = Date.now();
    const newest = bucketOf(now);
    const total = (results: { republished: number; pending: number }[]) => ({
      leading: true,
      republished: results.reduce((sum, r) => sum + r.republished, 0),
      pending: results.reduce((sum, r) => sum + r.pending, 0),
    });
    if (!sweep) return total(await Promise.all([newest - 1, newest].map((bucket) => passBucket(bucket, now))));

    const low = await outbox.lowWater();
    const trailing = bucketOf(now - trailingMs);
    const results = [];
    let nextLow = low;
    for (let bucket = low; bucket <= newest; bucket++) {
      const result = await passBucket(bucket, now);
      results.push(result);
      // The mark moves past a bucket only when it was empty and is older than the trailing window.
      if (nextLow === bucket && result.empty && bucket < trailing) nextLow = bucket + 1;
    }
    if (nextLow > low) await outbox.advanceLowWater(low, nextLow);
    for (const [key, seen] of firstSeen) if (now - seen > trailingMs + inFlightMs) firstSeen.delete(key);
    return total(results);
  };

  return {
    runOnce,
    async release() {
      if (leaseRenewedAt === 0) return;
      leaseRenewedAt = 0;
      await outbox.releaseLease(owner);
    },
  };
};

/**
 * A relay running in the background: a pass every `intervalMs` while passes find rows, backing
 * off up to `maxIntervalMs` while they find none (createRelayBackoff); a sweep every `sweepEveryMs`.
 */
export const startRelay = (options: RelayOptions): RunningRelay => {
  const relay = createRelay(options);
  const intervalMs = options.intervalMs ?? 1_000;
  const staleAfterMs = options.staleAfterMs ?? 5_000;
  const leaseMs = options.leaseMs ?? 10_000;
  const backoff = createRelayBackoff({ intervalMs, maxIntervalMs: Math.min(options.maxIntervalMs ?? staleAfterMs, leaseMs / 2) });
  const sweepEveryMs = options.sweepEveryMs ?? 30_000;
  let lastSweep = 0;
  const passes = startPeriodic(
    async () => {
      const sweep = Date.now() - lastSweep >= sweepEveryMs;
      const pass = await relay.runOnce({ sweep });
      backoff.after(pass);
      if (sweep && pass.leading) lastSweep = Date.now();
    },
    { intervalMs: backoff.delayMs, onError: options.onError },
  );

  return {
    runOnce: (pass) => relay.runOnce(pass),
    async stop() {
      await passes.stop();
      await relay.release().catch((error: unknown) => options.onError?.(error));
    },
  };
};
