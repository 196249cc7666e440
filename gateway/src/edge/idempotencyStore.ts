import cassandra from "cassandra-driver";

/** A response as the first request produced it, replayed byte for byte. */
export interface StoredResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** One key: claimed by the request (owner) running it, then done with its response. */
export type IdempotencyRecord = { owner: string; fingerprint: string; createdAt: Date } & (
  { state: "in-progress" } | { state: "done"; response: StoredResponse }
);

export interface Claim {
  owner: string;
  fingerprint: string;
  now: Date;
}

/** Keys live per scope (the caller's subject): two callers never see each other's keys. */
export interface IdempotencyStore {
  /** Takes the key for `claim.owner`, or returns who has it and how far they got. */
  claim(scope: string, key: string, claim: Claim): Promise<{ acquired: true } | { acquired: false; record: IdempotencyRecord }>;
  /** Takes over an in-progress key whose owner is presumed dead; false if someone else moved first. */
  takeOver(scope: string, key: string, previousOwner: string, claim: Claim): Promise<boolean>;
  /** Stores the owner's final response; false if the owner no longer holds the key. */
  complete(scope: string, key: string, claim: Claim, response: StoredResponse): Promise<boolean>;
  /** Frees the key so the request can be retried (after a 5xx); a no-op unless `owner` holds it. */
  release(scope: string, key: string, owner: string): Promise<void>;
}

export const IDEMPOTENCY_TABLE = "idempotency_keys";

/** The gateway's idempotency table in its own keyspace (create the keyspace first: `ensureKeyspace`). */
export const ensureIdempotencySchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.${IDEMPOTENCY_TABLE} (
       scope text, key text, owner text, fingerprint text, status text, created_at timestamp,
       response_status int, response_headers map<text, text>, response_body blob,
       PRIMARY KEY ((scope, key)))`,
  );
};

const recordFrom = (row: cassandra.types.Row): IdempotencyRecord => {
  const base = { owner: row.get("owner") as string, fingerprint: row.get("fingerprint") as string, createdAt: row.get("created_at") as Date };
  if (row.get("status") !== "done") return { ...base, state: "in-progress" };
  return {
    ...base,
    state: "done",
    response: {
      status: row.get("response_status") as number,
      headers: (row.get("response_headers") as Record<string, string> | null) ?? {},
      body: (row.get("response_body") as Buffer | null) ?? Buffer.alloc(0),
    },
  };
};

/**
 * Every write is a lightweight transaction (Paxos, serial per key): exactly one request wins a
 * key, and only the winner can complete or release it. Rows expire after `ttlSeconds`.
 */
export const createCassandraIdempotencyStore = (client: cassandra.Client, keyspace: string, options: { ttlSeconds: number }): IdempotencyStore => {
  const table = `${keyspace}.${IDEMPOTENCY_TABLE}`;
  // At the client's serial consistency (LOCAL_SERIAL unless the deployment asks for more).
  const lwt = { prepare: true };
  const ttl = options.ttlSeconds;
  return {
    async claim(scope, key, claim) {
      const result = await client.execute(
        `INSERT INTO ${table} (scope, key, owner, fingerprint, status, created_at) VALUES (?, ?, ?, ?, 'in-progress', ?) IF NOT EXISTS USING TTL ?`,
        [scope, key, claim.owner, claim.fingerprint, claim.now, ttl],
        lwt,
      );
      if (result.wasApplied()) return { acquired: true };
      return { acquired: false, record: recordFrom(result.first()) };
    },
    async takeOver(scope, key, previousOwner, claim) {
      const result = await client.execute(
        `UPDATE ${table} USING TTL ? SET owner = ?, fingerprint = ?, created_at = ? WHERE scope = ? AND key = ? IF owner = ? AND status = 'in-progress'`,
        [ttl, claim.owner, claim.fingerprint, claim.now, scope, key, previousOwner],
        lwt,
      );
      return result.wasApplied();
    },
    async complete(scope, key, claim, response) {
      // Every column is rewritten so the whole row expires `ttl` after completion, together.
      const result = await client.execute(
        `UPDATE ${table} USING TTL ? SET status = 'done', owner = ?, fingerprint = ?, created_at = ?,
           response_status = ?, response_headers = ?, response_body = ? WHERE scope = ? AND key = ? IF owner = ?`,
        [ttl, claim.owner, claim.fingerprint, claim.now, response.status, response.headers, response.body, scope, key, claim.owner],
        lwt,
      );
      return result.wasApplied();
    },
    async release(scope, key, owner) {
      await client.execute(`DELETE FROM ${table} WHERE scope = ? AND key = ? IF owner = ?`, [scope, key, owner], lwt);
    },
  };
};
