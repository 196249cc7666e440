import type { ConsistencyTokens, Position } from "./consistencyTokens.js";

/** What a GET passes to a query RPC for a presented token, and the header it answers with. */
export interface ReadConsistency {
  /** For the query RPC: the token's positions; undefined when no token was presented. */
  consistency: { minVersion: number; waitMs: number; positions: Position[] } | undefined;
  /** `X-Consistency` for the answer; none when no token was presented. */
  header(stale: boolean): Record<string, string>;
}

/**
 * A presented token asks the read to reflect the positions it holds, waiting at most `waitMs`;
 * only the caller it was issued to (`holder`) may present it. The query service takes the
 * position of the aggregate it reads — it alone knows that aggregate's stream id — so a token
 * about other aggregates only asks nothing of the read.
 */
export const readConsistency = (tokens: ConsistencyTokens, holder: string, token: string | undefined, waitMs: number): ReadConsistency => {
  if (token === undefined) return { consistency: undefined, header: () => ({}) };
  const positions = [...tokens.read(token, holder)].map(([streamId, version]) => ({ streamId, version }));
  return {
    consistency: { minVersion: 0, waitMs, positions },
    header: (stale) => ({ "X-Consistency": stale ? "stale" : "consistent" }),
  };
};
