import { NotFoundError } from "@bazaar/core";
import cassandra from "cassandra-driver";
import type { SagaStepView, SagaView } from "./sagaCoordinator.js";

export type SagaStatus = "RUNNING" | "COMPENSATING" | "COMPLETED" | "COMPENSATED" | "FAILED";
export type StepStatus = "STARTED" | "DONE" | "FAILED";

export interface LoggedStep {
  seq: number;
  name: string;
  kind: "step" | "compensation";
  status: StepStatus;
  output?: unknown;
  error?: string;
  at: Date;
}

export interface LoggedSaga {
  sagaId: string;
  type: string;
  status: SagaStatus;
  input: unknown;
  reason?: string;
  startedAt: Date;
  updatedAt: Date;
  steps: LoggedStep[];
}

/** Open sagas are spread over a few partitions, so recovery reads a handful of small ones. */
const OPEN_SHARDS = 4;
const shardOf = (sagaId: string) => [...sagaId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % OPEN_SHARDS;

/**
 * The durable saga log in the gateway's keyspace: one row per saga, one per step attempt (logged
 * STARTED before the call, DONE or FAILED after it), and an index of sagas not yet ended — what a
 * restarted coordinator must finish or compensate.
 */
export const createSagaLog = (client: cassandra.Client, keyspace: string) => {
  const options = { prepare: true };
  const now = () => new Date();
  return {
    async start(sagaId: string, type: string, input: unknown) {
      const at = now();
      await client.batch(
        [
          { query: `INSERT INTO ${keyspace}.sagas (saga_id, type, status, input, started_at, updated_at) VALUES (?, ?, 'RUNNING', ?, ?, ?)`, params: [sagaId, type, JSON.stringify(input), at, at] },
          { query: `INSERT INTO ${keyspace}.open_sagas (shard, saga_id, type) VALUES (?, ?, ?)`, params: [shardOf(sagaId), sagaId, type] },
        ],
        { ...options, logged: true },
      );
    },
    /** Logs a step attempt; also touches the saga, so recovery can tell a live saga from an abandoned one. */
    async step(sagaId: string, seq: number, name: string, kind: "step" | "compensation", status: StepStatus, details: { output?: unknown; error?: string } = {}) {
      const at = now();
      await client.batch(
        [
          {
            query: `INSERT INTO ${keyspace}.saga_steps (saga_id, seq, name, kind, status, output, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            params: [sagaId, seq, name, kind, status, details.output === undefined ? null : JSON.stringify(details.output), details.error ?? null, at],
          },
          { query: `UPDATE ${keyspace}.sagas SET updated_at = ? WHERE saga_id = ?`, params: [at, sagaId] },
        ],
        { ...options, logged: true },
      );
    },
    /** Takes over an abandoned saga, unless someone moved it since `seenAt` (LWT). */
    async claim(sagaId: string, seenAt: Date, owner: string): Promise<boolean> {
      const result = await client.execute(`UPDATE ${keyspace}.sagas SET recovered_by = ?, updated_at = ? WHERE saga_id = ? IF updated_at = ?`, [owner, now(), sagaId, seenAt], {
        ...options,
        serialConsistency: cassandra.types.consistencies.localSerial,
      });
      return result.wasApplied();
    },
    async status(sagaId: string, status: SagaStatus, reason?: string) {
      const ended = status === "COMPLETED" || status === "COMPENSATED" || status === "FAILED";
      await client.batch(
        [
          { query: `UPDATE ${keyspace}.sagas SET status = ?, reason = ?, updated_at = ? WHERE saga_id = ?`, params: [status, reason ?? null, now(), sagaId] },
          ...(ended ? [{ query: `DELETE FROM ${keyspace}.open_sagas WHERE shard = ? AND saga_id = ?`, params: [shardOf(sagaId), sagaId] }] : []),
        ],
        { ...options, logged: true },
      );
    },
    async load(sagaId: string): Promise<LoggedSaga> {
      const row = (await client.execute(`SELECT * FROM ${keyspace}.sagas WHERE saga_id = ?`, [sagaId], options)).first();
      if (!row) throw new NotFoundError(`saga ${sagaId} not found`);
      const steps = (await client.execute(`SELECT * FROM ${keyspace}.saga_steps WHERE saga_id = ?`, [sagaId], options)).rows.map((s) => ({
        seq: s.get("seq") as number,
        name: s.get("name") as string,
        kind: s.get("kind") as "step" | "compensation",
        status: s.get("status") as StepStatus,
        output: s.get("output") ? (JSON.parse(s.get("output") as string) as unknown) : undefined,
        ...(s.get("error") ? { error: s.get("error") as string } : {}),
        at: s.get("at") as Date,
      }));
      return {
        sagaId,
        type: row.get("type") as string,
        status: row.get("status") as SagaStatus,
        input: JSON.parse(row.get("input") as string) as unknown,
        ...(row.get("reason") ? { reason: row.get("reason") as string } : {}),
        startedAt: row.get("started_at") as Date,
        updatedAt: row.get("updated_at") as Date,
        steps,
      };
    },
    async open(): Promise<{ sagaId: string; type: string }[]> {
      const shards = await Promise.all(
        Array.from({ length: OPEN_SHARDS }, (_, shard) => client.execute(`SELECT saga_id, type FROM ${keyspace}.open_sagas WHERE shard = ?`, [shard], options)),
      );
      return shards.flatMap((r) => r.rows.map((row) => ({ sagaId: row.get("saga_id") as string, type: row.get("type") as string })));
    },
  };
};

export type SagaLog = ReturnType<typeof createSagaLog>;

export const toSagaView = (saga: LoggedSaga): SagaView => ({
  sagaId: saga.sagaId,
  type: saga.type,
  status: saga.status,
  ...(saga.reason ? { reason: saga.reason } : {}),
  startedAt: saga.startedAt.toISOString(),
  updatedAt: saga.updatedAt.toISOString(),
  steps: saga.steps.map(
    (s): SagaStepView => ({ name: s.name, kind: s.kind, status: s.status, at: s.at.toISOString(), ...(s.error ? { error: s.error } : {}) }),
  ),
});

export const ensureSagaSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.sagas (saga_id text PRIMARY KEY, type text, status text, input text, reason text, started_at timestamp, updated_at timestamp, recovered_by text)`,
  );
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.saga_steps (saga_id text, seq int, name text, kind text, status text, output text, error text, at timestamp, PRIMARY KEY (saga_id, seq))`,
  );
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.open_sagas (shard int, saga_id text, type text, PRIMARY KEY (shard, saga_id))`);
};
