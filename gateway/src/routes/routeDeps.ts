import type { CatalogClient } from "../clients/catalogClient.js";
import type { CustomerClient } from "../clients/customerClient.js";
import type { InventoryClient } from "../clients/inventoryClient.js";
import type { OrderingClient } from "../clients/orderingClient.js";
import type { ConsistencyTokens, Position } from "../http/consistencyTokens.js";
import type { CursorSeal } from "../http/signedCursors.js";
import type { SagaCoordinator } from "../sagas/sagaCoordinator.js";
import type { Response } from "express";
import { z } from "zod";
import { principalOf } from "../edge/auth.js";
import { readConsistency, type ReadConsistency } from "../http/readConsistency.js";
import { consistencyTokenHeader, uuid } from "../openapi/schemas.js";

/** The `{id}` of a resource's path. */
export const idParams = z.strictObject({ id: uuid });

/** A GET's `X-Consistency-Token`: a command's token, presented to read that write. */
export const readHeaders = z.object({ "X-Consistency-Token": consistencyTokenHeader.optional() });

/** Whom a consistency token is issued to and accepted from: the authenticated subject. */
export const holderOf = (res: Response): string => principalOf(res)?.subject ?? "anonymous";

/** What the REST routes call. */
export interface RouteDeps {
  catalog: CatalogClient;
  inventory: InventoryClient;
  ordering: OrderingClient;
  customers: CustomerClient;
  sagas: SagaCoordinator;
  tokens: ConsistencyTokens;
  /** Seals the page cursors the query services answer, and opens the ones clients send back. */
  cursors: CursorSeal;
  /** How long a GET presenting a consistency token waits for the read model. */
  consistencyWaitMs: number;
}

/** The consistency token header of a command's answer, if it moved a stream. */
export const tokenHeader = (tokens: ConsistencyTokens, res: Response, ...positions: (Position | undefined)[]): Record<string, string> => {
  const token = tokens.issue(positions, holderOf(res));
  return token ? { "X-Consistency-Token": token } : {};
};

export const TOKEN_HEADER_DOC = {
  "X-Consistency-Token": { description: "Present it on a GET (same header) to read your own write: the read waits, bounded, until it reflects this command" },
};

/** A saga's result may carry the position of the aggregate it changed; take it if it does. */
export const positionIn = (result: unknown): { streamId: string; version: number } | undefined => {
  const candidate = (result as { position?: unknown } | undefined)?.position ?? result;
  const position = candidate as { streamId?: unknown; version?: unknown } | undefined;
  return typeof position?.streamId === "string" && typeof position.version === "number"
    ? { streamId: position.streamId, version: position.version }
    : undefined;
};

/** What a GET asks of its query for the token it presented (if any), and the `X-Consistency` it answers with. */
export const readConsistencyOf = (
  deps: Pick<RouteDeps, "tokens" | "consistencyWaitMs">,
  res: Response,
  headers: z.output<typeof readHeaders>,
): ReadConsistency => readConsistency(deps.tokens, holderOf(res), headers["X-Consistency-Token"], deps.consistencyWaitMs);

/** The query service's cursor inside a page cursor a client sent back; the first page ("") without one. */
export const downstreamCursor = (deps: Pick<RouteDeps, "cursors">, cursor: string | undefined): string =>
  cursor === undefined ? "" : deps.cursors.open(cursor);
