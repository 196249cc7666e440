import { AlreadyExistsError, ConcurrencyError, RuleViolationError, ValidationError } from "@bazaar/core";
import cassandra from "cassandra-driver";
import { serialConsistencyOf } from "./cassandra.js";

/**
 * Uniqueness across aggregates (a product's SKU, a customer's email): a value is claimed by one
 * owner (an aggregate id) with a lightweight transaction before the owner's creating append.
 */
export interface UniqueClaims {
  /** `acquired` now, already `held` by this owner (a retry), or `taken` by another owner. */
  claim(value: string, owner: string): Promise<"acquired" | "held" | "taken">;
  /** Frees the value if `owner` holds it. */
  release(value: string, owner: string): Promise<void>;
  ownerOf(value: string): Promise<string | undefined>;
}

export const createCassandraClaims = (client: cassandra.Client, keyspace: string, table: string): UniqueClaims => {
  const options = { prepare: true };
  return {
    async claim(value, owner) {
      const result = await client.execute(
        `INSERT INTO ${keyspace}.${table} (value, owner, claimed_at) VALUES (?, ?, ?) IF NOT EXISTS`,
        [value, owner, new Date()],
        options,
      );
      if (result.wasApplied()) return "acquired";
      return result.first().get("owner") === owner ? "held" : "taken";
    },
    async release(value, owner) {
      await client.execute(`DELETE FROM ${keyspace}.${table} WHERE value = ? IF owner = ?`, [value, owner], options);
    },
    async ownerOf(value) {
      const row = (
        await client.execute(`SELECT owner FROM ${keyspace}.${table} WHERE value = ?`, [value], { ...options, consistency: serialConsistencyOf(client) })
      ).first();
      return row ? (row.get("owner") as string) : undefined;
    },
  };
};

export const ensureClaimsSchema = async (client: cassandra.Client, keyspace: string, table: string): Promise<void> => {
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.${table} (value text PRIMARY KEY, owner text, claimed_at timestamp)`);
};

/** Errors after which nothing was stored, so a claim taken for the command can go. */
const nothingStored = (error: unknown) =>
  error instanceof ValidationError || error instanceof ConcurrencyError || error instanceof RuleViolationError || error instanceof AlreadyExistsError;

/**
 * Runs a creating command under a claim: AlreadyExistsError when another owner holds the value.
 * A claim this call acquired is released again if the command certainly stored nothing; one the
 * owner already held (a retry) is never released here. After an unknown outcome it is kept: a
 * retry by the same owner passes, and no other owner can take the value.
 */
export const withClaim = async <T>(claims: UniqueClaims, claim: { value: string; owner: string; what: string }, run: () => Promise<T>): Promise<T> => {
  const outcome = await claims.claim(claim.value, claim.owner);
  if (outcome === "taken") throw new AlreadyExistsError(`${claim.what} ${claim.value} is already taken`);
  try {
    return await run();
  } catch (error) {
    if (outcome === "acquired" && nothingStored(error)) await claims.release(claim.value, claim.owner);
    throw error;
  }
};
