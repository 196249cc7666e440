import { ConcurrencyError, ValidationError, type EventEnvelope } from "@bazaar/core";
import cassandra from "cassandra-driver";
import { serialConsistencyOf } from "./cassandra.js";
import { noUpcast, toEnvelopes, type EventStore, type Upcaster } from "./eventStore.js";
import { keepPaxosStateShort, shortPaxosRetention } from "./paxosRetention.js";

/** The coordinator gave up waiting for replicas: for a conditional batch, an outcome unknown. */
const WRITE_TIMEOUT: number = cassandra.types.responseErrorCodes.writeTimeout;

const COLUMNS = "stream_id, version, event_id, event_type, data, metadata, recorded_at";

interface EventRow {
  stream_id: string;
  version: cassandra.types.Long;
  event_id: cassandra.types.Uuid;
  event_type: string;
  data: string;
  metadata: string;
  recorded_at: Date;
}

/**
 * Event store on one Cassandra keyspace: a partition per stream, clustered by version, with
 * the stream's head version in a static column. An append is one conditional batch in that
 * partition: "move head from expected to expected + n, if head is still expected" plus the
 * event rows. Paxos makes it all-or-nothing and serial per stream: two writers can never both
 * take version N, and no writer can skip a version.
 */
export const createCassandraEventStore = (client: cassandra.Client, keyspace: string, options: { upcast?: Upcaster } = {}): EventStore => {
  const table = `${keyspace}.events`;
  const upcast = options.upcast ?? noUpcast;
  const insert = `INSERT INTO ${table} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`;
  const claimNew = `UPDATE ${table} SET head = ? WHERE stream_id = ? IF head = null`;
  const advance = `UPDATE ${table} SET head = ? WHERE stream_id = ? IF head = ?`;
  const select = `SELECT ${COLUMNS} FROM ${table} WHERE stream_id = ? AND version >= ?`;
  const eventAt = `SELECT event_id FROM ${table} WHERE stream_id = ? AND version = ?`;
  const toEvent = (row: cassandra.types.Row) => upcast(toEnvelope(row as unknown as EventRow));

  /** Pages through a query so a long result never sits in memory twice. */
  async function* pages(query: string, params: unknown[], fetchSize: number, consistency?: number) {
    let pageState: string | undefined;
    do {
      const page = await client.execute(query, params, { prepare: true, fetchSize, pageState, ...(consistency === undefined ? {} : { consistency }) });
      yield page.rows;
      pageState = page.pageState ?? undefined;
    } while (pageState);
  }

  /**
   * Who holds the first version an append timed out on, read at the serial level: the read
   * finishes a consensus round left open, so an event found there is decided — ours (the append
   * landed: the caller gets its answer instead of a timeout) or another writer's (ours can
   * never land at that version). Nothing there leaves the outcome unknown: a proposal that
   * reached only a minority of replicas may still be completed by a later round.
   */
  const decidedAt = async (streamId: string, first: EventEnvelope): Promise<"ours" | "another" | "unknown"> => {
    const row = (
      await client.execute(eventAt, [streamId, cassandra.types.Long.fromNumber(first.version)], { prepare: true, consistency: serialConsistencyOf(client) })
    ).first();
    if (!row) return "unknown";
    return (row.get("event_id") as cassandra.types.Uuid).toString() === first.eventId.toLowerCase() ? "ours" : "another";
  };

  return {
    async append(streamId, expectedVersion, events) {
      if (events.length === 0) throw new ValidationError([{ field: "events", message: "must not be empty" }]);
      const envelopes = toEnvelopes(streamId, expectedVersion, events);
      const head = cassandra.types.Long.fromNumber(expectedVersion + events.length);
      const condition =
        expectedVersion === 0
          ? { query: claimNew, params: [head, streamId] }
          : { query: advance, params: [head, streamId, cassandra.types.Long.fromNumber(expectedVersion)] };
      const rows = envelopes.map((e) => ({
        query: insert,
        params: [
          e.streamId,
          cassandra.types.Long.fromNumber(e.version),
          cassandra.types.Uuid.fromString(e.eventId),
          e.type,
          JSON.stringify(e.data),
          JSON.stringify(e.metadata),
          e.recordedAt,
        ],
      }));
      // A driver error propagates as it is: an outage (no host) stored nothing, a timeout has an
      // unknown outcome — the edge maps each (503 / 504). A write timeout is first read back.
      // At the client's levels: LOCAL_QUORUM / LOCAL_SERIAL unless the deployment asks for more.
      const appended = { nextExpectedVersion: expectedVersion + events.length, events: envelopes };
      try {
        const result = await client.batch([condition, ...rows], { prepare: true });
        if (!result.wasApplied()) throw new ConcurrencyError(streamId, expectedVersion);
        return appended;
      } catch (error) {
        if (!(error instanceof cassandra.errors.ResponseError && error.code === WRITE_TIMEOUT)) throw error;
        const outcome = await decidedAt(streamId, envelopes[0]!).catch(() => "unknown" as const);
        if (outcome === "ours") return appended;
        if (outcome === "another") throw new ConcurrencyError(streamId, expectedVersion);
        throw error;
      }
    },

    async readStream(streamId, { fromVersion = 1, asOf, linearizable = false, limit = Infinity } = {}) {
      const events: EventEnvelope[] = [];
      const consistency = linearizable ? serialConsistencyOf(client) : undefined;
      // A page of `limit` rows when that is fewer: a short read of a long stream reads no more.
      for await (const rows of pages(select, [streamId, cassandra.types.Long.fromNumber(fromVersion)], Math.min(limit, 1000), consistency)) {
        for (const row of rows) {
          if (asOf && (row.recorded_at as Date) > asOf) continue;
          events.push(toEvent(row));
          if (events.length === limit) return events;
        }
      }
      return events;
    },

    async *readAll() {
      // A full scan in token order: each partition's rows come together, in version order.
      let stream: EventEnvelope[] = [];
      for await (const rows of pages(`SELECT ${COLUMNS} FROM ${table}`, [], 5000)) {
        for (const row of rows) {
          const event = toEvent(row);
          if (stream.length > 0 && stream[0]!.streamId !== event.streamId) {
            yield stream;
            stream = [];
          }
          stream.push(event);
        }
      }
      if (stream.length > 0) yield stream;
    },
  };
};

const toEnvelope = (row: EventRow): EventEnvelope => ({
  eventId: row.event_id.toString(),
  type: row.event_type,
  streamId: row.stream_id,
  version: row.version.toNumber(),
  recordedAt: row.recorded_at,
  data: JSON.parse(row.data) as unknown,
  metadata: JSON.parse(row.metadata) as EventEnvelope["metadata"],
});

/**
 * Creates the keyspace's event table; safe to run at every start. Events are never deleted, so
 * the table keeps its appends' Paxos state for the short retention (paxosRetention.ts).
 */
export const ensureEventStoreSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.events (
      stream_id text,
      version bigint,
      event_id uuid,
      event_type text,
      data text,
      metadata text,
      recorded_at timestamp,
      head bigint static,
      PRIMARY KEY ((stream_id), version)
    ) WITH CLUSTERING ORDER BY (version ASC) AND ${shortPaxosRetention}`,
  );
  await keepPaxosStateShort(client, keyspace, "events");
};
