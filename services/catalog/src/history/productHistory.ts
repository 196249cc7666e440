import { fold, NotFoundError, parseId, ValidationError } from "@bazaar/core";
import type { EventStore } from "@bazaar/event-store";
import { productDecider, type ProductState } from "../domain/productDecider.js";
import { productStreamId } from "../domain/productStream.js";
import { decodeProductEvent } from "../events/productIntegrationEvents.js";

/** One stored event as the audit trail shows it. */
export interface ProductHistoryEntry {
  version: number;
  type: string;
  recordedAt: Date;
  data: unknown;
  actor: string;
}

/** One page of the audit trail; `nextCursor` is empty after the last page. */
export interface ProductHistoryPage {
  entries: ProductHistoryEntry[];
  nextCursor: string;
}

export const HISTORY_PAGE = { default: 100, max: 500 };

/** Where a page starts: a version, as a previous page's cursor gave it. */
const fromVersionOf = (cursor: string): number => {
  if (cursor === "") return 1;
  if (!/^[1-9]\d{0,14}$/.test(cursor)) throw new ValidationError([{ field: "cursor", message: "must be a cursor from a previous page" }]);
  return Number(cursor);
};

const limitOf = (limit: number): number => {
  if (limit === 0) return HISTORY_PAGE.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_PAGE.max)
    throw new ValidationError([{ field: "limit", message: `must be 1 to ${HISTORY_PAGE.max}` }]);
  return limit;
};

/** A product as it was at some version: the decider's own fold, never a second copy of it. */
export type ProductAsOf = Exclude<ProductState, { status: "empty" }> & { version: number };

const streamOf = (productId: string): string => productStreamId(parseId(productId, "productId"));

/** The catalog's event store read as history: the audit trail and the state as of an instant. */
export const createProductHistory = (eventStore: Pick<EventStore, "readStream">) => ({
  /** A page of the stream, oldest first: a long-lived product's trail never loads whole. */
  async history(productId: string, page: { limit?: number; cursor?: string } = {}): Promise<ProductHistoryPage> {
    const stream = streamOf(productId);
    const fromVersion = fromVersionOf(page.cursor ?? "");
    const limit = limitOf(page.limit ?? 0);
    // One more than the page: whether there is a next page is known without another read.
    const events = await eventStore.readStream(stream, { fromVersion, limit: limit + 1 });
    if (events.length === 0 && (fromVersion === 1 || (await eventStore.readStream(stream, { limit: 1 })).length === 0)) {
      throw new NotFoundError(`product ${productId} not found`);
    }
    return {
      entries: events
        .slice(0, limit)
        .map((event) => ({ version: event.version, type: event.type, recordedAt: event.recordedAt, data: event.data, actor: event.metadata.actor })),
      nextCursor: events.length > limit ? String(events[limit]!.version) : "",
    };
  },

  async asOf(productId: string, instant: Date): Promise<ProductAsOf> {
    const events = await eventStore.readStream(streamOf(productId), { asOf: instant });
    const state = fold(productDecider, events.map(decodeProductEvent));
    if (state.status === "empty") throw new NotFoundError(`product ${productId} did not exist at ${instant.toISOString()}`);
    return { ...state, version: events.at(-1)?.version ?? 0 };
  },
});

export type ProductHistory = ReturnType<typeof createProductHistory>;
