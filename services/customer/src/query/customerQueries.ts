import { NotFoundError } from "@bazaar/core";
import { awaitConsistency } from "@bazaar/projections";
import type { Client } from "@elastic/elasticsearch";
import type { CustomerProfileDocument } from "../projections/customerProfileProjection.js";

export interface CustomerView extends CustomerProfileDocument {
  /** The customer stream's version the profile reflects. */
  version: number;
}

/** Queries over the customer profile model. */
export const createCustomerQueries = (es: Client, alias: string) => ({
  /** Read-your-writes: waits (bounded) for the document to reach `minVersion`; true if it did not. */
  isStale: (id: string, consistency: { minVersion: number; waitMs: number } | undefined, signal?: AbortSignal) =>
    awaitConsistency(es, { index: alias, id: id.toLowerCase() }, consistency, { signal }),

  /** A real-time GET: it sees a profile as soon as the projector wrote it, before any refresh. */
  async get(customerId: string, signal?: AbortSignal): Promise<CustomerView> {
    const result = await es.get<CustomerProfileDocument>({ index: alias, id: customerId }, { ignore: [404], ...(signal ? { signal } : {}) });
    if (!result.found || !result._source) throw new NotFoundError(`customer ${customerId} not found`);
    return { ...result._source, version: result._version ?? 0 };
  },
});

export type CustomerQueries = ReturnType<typeof createCustomerQueries>;
