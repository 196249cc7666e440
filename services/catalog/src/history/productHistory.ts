import { fold, NotFoundError, ValidationError, type EventEnvelope } from "@bazaar/core";
import type { EventStore } from "@bazaar/event-store";
import { productDecider, type ProductState } from "../domain/productDecider.js";
import type { ProductEvent } from "../domain/productEvents.js";
import { productStreamId } from "../domain/productStream.js";

/** One stored event as the audit trail shows it. */
export interface ProductHistoryEntry {
  version: number;
  type: string;
  recordedAt: Date;
  data: unknown;
  actor: string;
}

/** A product as it was at some version: the decider's own fold, never a second copy of it. */
export type ProductAsOf = Exclude<ProductState, { status: "empty" }> & { version: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const streamOf = (productId: string): string => {
  if (!UUID.test(productId)) throw new ValidationError([{ field: "productId", message: "must be a UUID" }]);
  return productStreamId(productId.toLowerCase());
};

/** The catalog's event store read as history: the audit trail and the state as of an instant. */
export const createProductHistory = (eventStore: Pick<EventStore, "readStream">) => ({
  async history(productId: string): Promise<ProductHistoryEntry[]> {
    const events = await eventStore.readStream(streamOf(productId));
    if (events.length === 0) throw new NotFoundError(`product ${productId} not found`);
    return events.map((event) => ({ version: event.version, type: event.type, recordedAt: event.recordedAt, data: event.data, actor: event.metadata.actor }));
  },

  async asOf(productId: string, instant: Date): Promise<ProductAsOf> {
    const events = (await eventStore.readStream(streamOf(productId), { asOf: instant })) as EventEnvelope<ProductEvent["data"]>[];
    const state = fold(productDecider, events.map((event) => ({ type: event.type, data: event.data }) as ProductEvent));
    if (state.status === "empty") throw new NotFoundError(`product ${productId} did not exist at ${instant.toISOString()}`);
    return { ...state, version: events.at(-1)?.version ?? 0 };
  },
});

export type ProductHistory = ReturnType<typeof createProductHistory>;
