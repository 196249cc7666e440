import type { ConsistencyTokens } from "./consistencyTokens.js";

/** What a GET passes to a query RPC for a presented token, and the header it answers with. */
export interface ReadConsistency {
  /** For the query RPC; undefined when no token names the stream read. */
  consistency: { minVersion: number; waitMs: number } | undefined;
  /** `X-Consistency` for the answer; none when no token was presented. */
  header(stale: boolean): Record<string, string>;
}

/**
 * A presented token asks the read of `streamId` to reflect at least the version it names,
 * waiting at most `waitMs`; only the caller it was issued to (`holder`) may present it. A token that names other streams only asks nothing of this one.
 */
export const readConsistency = (tokens: ConsistencyTokens, holder: string, token: string | undefined, streamId: string, waitMs: number): ReadConsistency => {
  if (token === undefined) return { consistency: undefined, header: () => ({}) };
  const minVersion = tokens.read(token, holder).get(streamId);
  return {
    consistency: minVersion === undefined ? undefined : { minVersion, waitMs },
    header: (stale) => ({ "X-Consistency": stale ? "stale" : "consistent" }),
  };
};
