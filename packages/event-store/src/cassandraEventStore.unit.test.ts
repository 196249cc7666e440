import { ConcurrencyError } from "@bazaar/core";
import cassandra from "cassandra-driver";
import { describe, expect, it } from "vitest";
import { createCassandraEventStore } from "./cassandraEventStore.js";

const { responseErrorCodes, Uuid, consistencies } = cassandra.types;
const writeTimeout = () => new cassandra.errors.ResponseError(responseErrorCodes.writeTimeout, "Operation timed out - received only 1 responses.");
const ours = "4a0e7f3c-6a8e-4f4e-9a37-0c1b2d3e4f50";
const another = "5b1f8a4d-7b9f-4a5f-8b48-1d2c3e4f5a61";

/**
 * A client whose conditional batch times out, and whose read-back finds `atVersion` (an event
 * id, or nothing). The read-back itself is what is under test: which statement, at which level.
 */
const timingOut = (atVersion: string | undefined) => {
  const reads: { query: string; params: unknown[]; consistency: unknown }[] = [];
  const client = {
    batch: () => Promise.reject(writeTimeout()),
    execute: (query: string, params: unknown[], options: { consistency?: unknown }) => {
      reads.push({ query, params, consistency: options.consistency });
      const rows = atVersion ? [{ get: () => Uuid.fromString(atVersion) }] : [];
      return Promise.resolve({ first: () => rows[0] ?? null, rows });
    },
  } as unknown as cassandra.Client;
  return { store: createCassandraEventStore(client, "ks"), reads };
};
const event = { eventId: ours, type: "t.A.v1", data: {}, metadata: { correlationId: "c", causationId: "c", actor: "a" }, recordedAt: new Date() };

describe("an append whose conditional batch times out (a CAS write timeout: outcome unknown)", () => {
  it("is read back at the serial level at its first version: finding its own event there, it answers as applied", async () => {
    const { store, reads } = timingOut(ours);
    await expect(store.append("s-1", 2, [event])).resolves.toMatchObject({ nextExpectedVersion: 3, events: [{ eventId: ours, version: 3 }] });
    expect(reads).toHaveLength(1);
    expect(reads[0]!.query).toBe("SELECT event_id FROM ks.events WHERE stream_id = ? AND version = ?");
    expect(reads[0]!.params.map(String)).toEqual(["s-1", "3"]);
    expect(reads[0]!.consistency).toBe(consistencies.localSerial);
  });

  it("finding another writer's event there, it is a concurrency conflict (it can never land at that version)", async () => {
    await expect(timingOut(another).store.append("s-1", 2, [event])).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it("finding nothing there, the timeout stands: the outcome stays unknown", async () => {
    await expect(timingOut(undefined).store.append("s-1", 2, [event])).rejects.toMatchObject({ code: responseErrorCodes.writeTimeout });
  });

  it("a read-back that fails leaves the timeout as it was; other errors are not read back", async () => {
    const failingRead = {
      batch: () => Promise.reject(writeTimeout()),
      execute: () => Promise.reject(new Error("read timed out")),
    } as unknown as cassandra.Client;
    await expect(createCassandraEventStore(failingRead, "ks").append("s-1", 0, [event])).rejects.toMatchObject({ code: responseErrorCodes.writeTimeout });
    let reads = 0;
    const unavailable = {
      batch: () => Promise.reject(new cassandra.errors.ResponseError(responseErrorCodes.unavailableException, "Cannot achieve consistency level")),
      execute: () => Promise.resolve({ first: () => (reads++, null), rows: [] }),
    } as unknown as cassandra.Client;
    await expect(createCassandraEventStore(unavailable, "ks").append("s-1", 0, [event])).rejects.toMatchObject({
      code: responseErrorCodes.unavailableException,
    });
    expect(reads).toBe(0);
  });
});
