import { randomUUID } from "node:crypto";
import { sleep } from "../lib/stack.js";
import { UnexpectedStatusError, type RestClient } from "./rest.js";

const DESCRIPTION = "A sturdy benchmark product, ".repeat(8);
const run = randomUUID().slice(0, 8);
let seq = 0;

/** The body of a new product: a fresh SKU every call. */
export const newProduct = () => {
  const n = seq++;
  return { sku: `E2E-${run}-${n}`, name: `Bench lamp ${n}`, description: DESCRIPTION, category: "home", price: { amount: 1000 + (n % 9000), currency: "EUR" } };
};

/** Runs `fn` over `items`, `width` at a time. */
export const inParallel = async <T, R>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
};

export const createProducts = (api: RestClient, count: number) =>
  inParallel(Array.from({ length: count }), 8, async () => (await api.post("/v1/products", newProduct(), [201])).body.id);

export const restock = (api: RestClient, productIds: readonly string[], quantity: number) =>
  inParallel(productIds, 8, (id) => api.post(`/v1/inventory/${id}/restock`, { quantity }, [200]));

export const registerCustomers = (api: RestClient, count: number) =>
  inParallel(Array.from({ length: count }), 8, async (_, i) => {
    const body = {
      name: `Bench customer ${i}`,
      email: `bench-${run}-${i}@e2e.example.com`,
      address: { line1: `${i} Bench Street`, postalCode: "10115", city: "Berlin", country: "DE" },
    };
    return (await api.post("/v1/customers", body, [201])).body.id;
  });

/**
 * Places an async order of one unit, retrying while ordering does not know the product yet
 * (its replica is fed by catalog events: a 400/422 until ProductCreated has arrived).
 */
export const placeOrderWhenKnown = async (api: RestClient, customerId: string, productId: string, timeoutMs = 60_000): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await api.post("/v1/orders", { customerId, lines: [{ productId, quantity: 1 }] }, [202, 400, 422]);
    if (status === 202) return body.id;
    if (Date.now() > deadline) throw new UnexpectedStatusError("POST", "/v1/orders", status, `ordering did not learn of product ${productId} in time`);
    await sleep(200);
  }
};
