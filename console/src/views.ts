import type { z } from "zod";
import type { Address as AddressSchema } from "../../gateway/src/openapi/schemas.js";
import type { SagaSummary as SagaSummarySchema, SagaView } from "../../gateway/src/routes/sagaResources.js";

/** What the REST API answers, as far as the console shows it (see GET /openapi.json). */
export interface Money {
  amount: number;
  currency: string;
}
export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price?: Money;
  attributes: Record<string, string>;
  status: "ACTIVE" | "DISCONTINUED" | "UNKNOWN";
  version: number;
  asOf?: string;
}
export interface Bucket {
  key: string;
  count: number;
}
export interface SearchResult {
  items: Product[];
  total: number;
  facets: { categories: Bucket[]; statuses: Bucket[]; priceRanges: (Bucket & { from?: number; to?: number })[] };
  nextCursor: string | null;
}
export interface HistoryEntry {
  version: number;
  type: string;
  recordedAt: string;
  data: unknown;
  actor: string;
}
export interface Stock {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
}
/** As the gateway validates and answers it (line2 filled in). */
export type Address = z.output<typeof AddressSchema>;
export interface Customer {
  id: string;
  name: string;
  email: string;
  address?: Address;
  version: number;
}
export interface OrderLine {
  productId: string;
  quantity: number;
  productName: string;
}
export interface Order {
  id: string;
  customerId: string;
  lines: OrderLine[];
  status: string;
  flow: string;
  total?: Money;
  reason?: string;
  placedAt: string;
  version: number;
  products?: Record<string, { name: string; status: string; price?: Money }>;
  degraded?: boolean;
  degradedReason?: string;
}
/** GET /v1/sagas/{id}: the saga's status and step log. */
export type Saga = z.output<typeof SagaView>;
/** An entry of GET /v1/sagas: the number of its steps instead of the steps. */
export type SagaSummary = z.output<typeof SagaSummarySchema>;
/** GET /v1/operations/pipeline: every projector's and reaction's lag, and their dead letters. */
export interface Pipeline {
  consumers: { context: string; consumer: string; pending: number; ackPending: number; redelivered: number; lastActive?: string }[];
  deadLetters: { consumer: string; count: number }[];
}

export interface Readiness {
  status: "ready" | "not-ready";
  services: Record<string, string>;
  breakers?: { service: string; method: string; state: string }[];
}
