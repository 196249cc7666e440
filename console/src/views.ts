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
export interface Address {
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
}
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
export interface Saga {
  sagaId: string;
  type: string;
  status: string;
  reason?: string;
  startedAt: string;
  updatedAt: string;
  steps: { name: string; kind: "step" | "compensation"; status: string; at: string; error?: string }[];
}
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
