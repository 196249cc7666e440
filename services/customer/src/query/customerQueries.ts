import { documentReads } from "@bazaar/projections";
import type { Client } from "@elastic/elasticsearch";
import type { CustomerProfileDocument } from "../projections/customerProfileProjection.js";

export interface CustomerView extends CustomerProfileDocument {
  /** The customer stream's version the profile reflects. */
  version: number;
}

/** Queries over the customer profile model. */
export const createCustomerQueries = (es: Client, alias: string) => documentReads<CustomerProfileDocument>(es, alias, "customer");

export type CustomerQueries = ReturnType<typeof createCustomerQueries>;
