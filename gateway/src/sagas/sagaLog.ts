import { hashString, NotFoundError, TimeoutError } from "@bazaar/core";
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

/**
 * This coordinator no longer drives the saga: recovery took it over (this one looked dead). The
 * caller's outcome is unknown here; the saga's own record says how it ended.
 */
export class SagaTakenOverError extends TimeoutError {
  constructor(sagaId: string) {
    super(`saga ${sagaId} was taken over by another coordinator; its outcome: GET /v1/sagas/${sagaId}`);
  }
}

/** Open sagas are spread over a few partitions, so recovery reads a handful of small ones. */
const OPEN_SHARDS = 4;
const shardOf = (sagaId: string) => hashString(sagaId) % OPEN_SHARDS;

/**
 * The durable saga log in the gateway's keyspace: one row per saga, one per step's outcome (DONE or
 * FAILED; a compensation is logged STARTED before its call too), and an index of sagas not yet
 * ended — what a restarted coordinator must finish or compensate.
 */
export const createSagaLog = (client: cassandra.Client, keyspace: string) => {
  const options = { prepare: true };
  // At the client's serial consistency (LOCAL_SERIAL unless the deployment asks for more).
  const lwt = options;
  const now = () => new Date();

  /**
   * The fence: moves the saga's heartbeat if `owner` still drives it, else throws. Recovery only
   * claims a saga whose heartbeat has not moved for a while, so an owner that keeps writing
   * keeps it, and one that was taken over learns so before its next write.
   */
  const hold = async (sagaId: string, owner: string) => {
    const result = await client.execute(`UPDATE ${keyspace}.sagas SET updated_at = ? WHERE saga_id = ? IF owner = ?`, [now(), sagaId, owner], lwt);
    if (!result.wasApplied()) throw new SagaTakenOverError(sagaId);
  };

  /** A step's record, unfenced: `step` and `completed` say under which fence. */
  const record = (
    sagaId: string,
    seq: number,
    name: string,
    kind: "step" | "compensation",
    status: StepStatus,
    details: { output?: unknown; error?: string },
  ) =>
    client.execute(
      `INSERT INTO ${keyspace}.saga_steps (saga_id, seq, name, kind, status, output, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [sagaId, seq, name, kind, status, details.output === undefined ? null : JSON.stringify(details.output), details.error ?? null, now()],
      options,
    );

  /** Sets the status, if `owner` still drives the saga (fenced, like `step`). */
  const setStatus = async (sagaId: string, owner: string, status: SagaStatus, reason?: string) => {
    const result = await client.execute(
      `UPDATE ${keyspace}.sagas SET status = ?, reason = ?, updated_at = ? WHERE saga_id = ? IF owner = ?`,
      [status, reason ?? null, now(), sagaId, owner],
      lwt,
    );
    if (!result.wasApplied()) throw new SagaTakenOverError(sagaId);
    if (status === "FAILED") {
      // What an operator must look at: listed until they do (GET /v1/sagas?status=failed).
      await client.execute(`INSERT INTO ${keyspace}.failed_sagas (shard, saga_id, failed_at) VALUES (?, ?, ?)`, [shardOf(sagaId), sagaId, now()], options);
    }
    if (status === "COMPLETED" || status === "COMPENSATED" || status === "FAILED") {
      await client.execute(`DELETE FROM ${keyspace}.open_sagas WHERE shard = ? AND saga_id = ?`, [shardOf(sagaId), sagaId], options);
    }
  };

  return {
    /**
     * The index entry first, then the saga: a saga is never without its entry, so recovery finds
     * every saga that started; an entry whose saga never got written (a crash in between, before
     * any step) is skipped by recovery. Two plain LOCAL_QUORUM writes, not a logged batch: a
     * logged batch also writes the batchlog to two other nodes, which with replication factor 3
     * and one node down fails until every coordinator has marked that node down — seconds, and
     * far longer on a loaded machine (cluster.e2e.test.ts).
     */
    async start(sagaId: string, type: string, input: unknown, owner: string) {
      const at = now();
      await client.execute(`INSERT INTO ${keyspace}.open_sagas (shard, saga_id, type) VALUES (?, ?, ?)`, [shardOf(sagaId), sagaId, type], options);
      await client.execute(
        `INSERT INTO ${keyspace}.sagas (saga_id, type, status, input, started_at, updated_at, owner) VALUES (?, ?, 'RUNNING', ?, ?, ?, ?)`,
        [sagaId, type, JSON.stringify(input), at, at, owner],
        options,
      );
    },
    hold,
    /** Logs a step attempt of `owner`'s (fenced: a saga taken over is not written to). */
    async step(
      sagaId: string,
      owner: string,
      seq: number,
      name: string,
      kind: "step" | "compensation",
      status: StepStatus,
      details: { output?: unknown; error?: string } = {},
    ) {
      await hold(sagaId, owner);
      await record(sagaId, seq, name, kind, status, details);
    },
    /**
     * The last step done and the saga COMPLETED, under one fence: the status's. A coordinator taken
     * over meanwhile may leave the step's record (true: the step did run) but not the status; the
     * recovering one numbers its own records after this step's (`recover`).
     */
    async completed(sagaId: string, owner: string, seq: number, name: string, output: unknown) {
      await record(sagaId, seq, name, "step", "DONE", { output });
      await setStatus(sagaId, owner, "COMPLETED");
    },
    /** Takes over an abandoned saga, unless someone moved it since `seenAt` (LWT); its owner from then on. */
    async claim(sagaId: string, seenAt: Date, owner: string): Promise<boolean> {
      const result = await client.execute(
        `UPDATE ${keyspace}.sagas SET owner = ?, recovered_by = ?, updated_at = ? WHERE saga_id = ? IF updated_at = ?`,
        [owner, owner, now(), sagaId, seenAt],
        lwt,
      );
      return result.wasApplied();
    },
    status: setStatus,
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
    /** Sagas that ended FAILED: a compensation was refused for good, and someone must decide. */
    async failed(): Promise<string[]> {
      const shards = await Promise.all(
        Array.from({ length: OPEN_SHARDS }, (_, shard) => client.execute(`SELECT saga_id FROM ${keyspace}.failed_sagas WHERE shard = ?`, [shard], options)),
      );
      return shards.flatMap((r) => r.rows.map((row) => row.get("saga_id") as string));
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
  steps: saga.steps.map((s): SagaStepView => ({
    name: s.name,
    kind: s.kind,
    status: s.status,
    at: s.at.toISOString(),
    ...(s.error ? { error: s.error } : {}),
  })),
});

export const ensureSagaSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.sagas (saga_id text PRIMARY KEY, type text, status text, input text, reason text, started_at timestamp, updated_at timestamp, recovered_by text, owner text)`,
  );
  // Keyspaces from before the owner fence get the column (an error says it is there already).
  await client.execute(`ALTER TABLE ${keyspace}.sagas ADD owner text`).catch((error: unknown) => {
    if (!/owner|conflict|exist/i.test((error as Error).message)) throw error;
  });
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.saga_steps (saga_id text, seq int, name text, kind text, status text, output text, error text, at timestamp, PRIMARY KEY (saga_id, seq))`,
  );
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.open_sagas (shard int, saga_id text, type text, PRIMARY KEY (shard, saga_id))`);
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.failed_sagas (shard int, saga_id text, failed_at timestamp, PRIMARY KEY (shard, saga_id))`);
};
