import { randomUUID } from "node:crypto";
import { uniqueName } from "@bazaar/testing";
import { api } from "./auth.js";

/** One answer the load saw; `status` 0 when the connection failed or the client gave up. */
export interface Sample {
  kind: "create" | "search" | "order-sync" | "order-async";
  status: number;
  /** When the request was sent (performance.now()). */
  at: number;
  /** Its Idempotency-Key, if it had one. */
  key?: string;
  ms: number;
  retryAfter: string | null;
  /** The id a 201 or 202 named. */
  id?: string;
}

/** Every answer one order's Idempotency-Key got, in order, and the order id the definitive ones named. */
export interface KeyedOrder {
  flow: "sync" | "async";
  key: string;
  statuses: number[];
  ids: Set<string>;
  /** The key's last answer was definitive (201, 202, or the saga's 409 rejection). */
  settled: boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Write and read load through REST until `stop()`: product creates, a search reader, and order
 * placers (flow=sync and flow=async) that retry each order with its Idempotency-Key after a 5xx,
 * a dropped connection or a "still running" conflict — as a careful client does — until it gets
 * a definitive answer. Each request is bounded well past the budget, so a hang shows as a slow
 * sample, not a stuck test. `stop()` lets every placer settle its current key first (bounded).
 */
export const faultTraffic = (options: { base: string; budgetMs: number; writers: number; order: { productId: string; customerId: string } }) => {
  const { base, budgetMs } = options;
  const samples: Sample[] = [];
  const orders: KeyedOrder[] = [];
  let running = true;
  let settleBy = Number.POSITIVE_INFINITY;

  const timed = async (kind: Sample["kind"], path: string, init: RequestInit = {}, key?: string) => {
    const started = performance.now();
    const keyed = key === undefined ? {} : { key };
    try {
      const res = await api(`${base}${path}`, { ...init, signal: AbortSignal.timeout(3 * budgetMs) });
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      const id = (res.status === 201 || res.status === 202) && typeof body.id === "string" ? { id: body.id } : {};
      samples.push({ kind, status: res.status, at: started, ms: performance.now() - started, retryAfter: res.headers.get("retry-after"), ...keyed, ...id });
      return { status: res.status, body };
    } catch {
      samples.push({ kind, status: 0, at: started, ms: performance.now() - started, retryAfter: null, ...keyed });
      return { status: 0, body: {} };
    }
  };
  const post = (kind: Sample["kind"], path: string, key: string, body: unknown) =>
    timed(kind, path, { method: "POST", headers: { "content-type": "application/json", "idempotency-key": key }, body: JSON.stringify(body) }, key);

  const creator = async () => {
    while (running) {
      const product = { sku: uniqueName("F"), name: "Fault mug", category: "faults", price: { amount: 1000, currency: "EUR" } };
      const { status } = await post("create", "/v1/products", randomUUID(), product);
      if (status === 0 || status >= 500) await pause(100);
    }
  };
  const reader = async () => {
    while (running) {
      await timed("search", "/v1/products?q=mug&category=faults&limit=5");
      await pause(50);
    }
  };
  const placer = async (flow: "sync" | "async") => {
    const definitive = (status: number, body: Record<string, unknown>) =>
      status === 201 || status === 202 || (status === 409 && body.type === "/problems/order-rejected");
    while (running) {
      const order: KeyedOrder = { flow, key: randomUUID(), statuses: [], ids: new Set(), settled: false };
      orders.push(order);
      const body = { customerId: options.order.customerId, lines: [{ productId: options.order.productId, quantity: 1 }] };
      while (!order.settled && Date.now() < settleBy) {
        const answer = await post(`order-${flow}`, `/v1/orders?flow=${flow}`, order.key, body);
        order.statuses.push(answer.status);
        order.settled = definitive(answer.status, answer.body);
        if (order.settled) order.ids.add(String(answer.body.id ?? answer.body.orderId));
        else await pause(250);
      }
    }
  };
  const all = Promise.all([...Array.from({ length: options.writers }, creator), reader(), placer("sync"), placer("async")]);
  return {
    samples,
    orders,
    /** Stops new work; placers keep retrying their open key for up to `settleMs`. */
    async stop(settleMs = 30_000) {
      running = false;
      settleBy = Date.now() + settleMs;
      await all;
    },
  };
};
