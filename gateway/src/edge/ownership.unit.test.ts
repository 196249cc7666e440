import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_SCOPES, startTestGateway, type TestGateway } from "../http/testGateway.js";

/**
 * Object-level authorization (issue #11 item 2): an end user's token reads and changes only its
 * own customer and that customer's orders; staff read and change every customer's.
 */
let gw: TestGateway;
let ada: string;
let bob: string;
let adasOrder: string;

const address = { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" };
const CUSTOMER_SCOPES = "read orders:write customers:write";
/** Headers of an end user's token acting for `customerId`. */
const as = (customerId: string | undefined) => ({ "x-test-scopes": CUSTOMER_SCOPES, ...(customerId ? { "x-test-customer": customerId } : {}) });

beforeAll(async () => {
  gw = await startTestGateway();
  const register = async (name: string) => ((await (await gw.post("/v1/customers", { name, email: `${name}@example.com`, address })).json()) as { id: string }).id;
  ada = await register("ada");
  bob = await register("bob");
  const product = ((await (await gw.post("/v1/products", { sku: "SKU-O", name: "Mug", category: "kitchen", price: { amount: 100, currency: "EUR" } })).json()) as { id: string }).id;
  await gw.post(`/v1/inventory/${product}/restock`, { quantity: 10 });
  const placed = await gw.post("/v1/orders", { customerId: ada, lines: [{ productId: product, quantity: 1 }] }, as(ada));
  expect(placed.status).toBe(202);
  adasOrder = ((await placed.json()) as { id: string }).id;
});
afterAll(() => gw.close());

const status = async (res: Promise<Response>) => (await res).status;

describe("an end user's token", () => {
  it("reads and changes its own customer and orders", async () => {
    expect(await status(gw.get(`/v1/customers/${ada}`, as(ada)))).toBe(200);
    expect(await status(gw.get(`/v1/customers/${ada}/orders`, as(ada)))).toBe(200);
    expect(await status(gw.get(`/v1/orders/${adasOrder}`, as(ada)))).toBe(200);
    expect(await status(gw.post(`/v1/customers/${ada}/change-address`, { address }, as(ada)))).toBe(200);
  });

  it("finds its customer's ids in upper case too", async () => {
    expect(await status(gw.get(`/v1/customers/${ada.toUpperCase()}`, as(ada)))).toBe(200);
  });

  it("gets 403 for another customer it names, without anything being called", async () => {
    gw.downstreams.reset();
    expect(await status(gw.get(`/v1/customers/${ada}`, as(bob)))).toBe(403);
    expect(await status(gw.get(`/v1/customers/${ada}/orders`, as(bob)))).toBe(403);
    expect(await status(gw.post(`/v1/customers/${ada}/change-address`, { address }, as(bob)))).toBe(403);
    const order = await gw.post("/v1/orders", { customerId: ada, lines: [{ productId: adasOrder, quantity: 1 }] }, as(bob));
    expect(order.status).toBe(403);
    expect(((await order.json()) as { type: string }).type).toBe("/problems/forbidden");
    expect(gw.downstreams.commands).toEqual([]);
    expect(gw.downstreams.queries).toEqual([]);
  });

  it("gets 404 for another customer's order, as if it did not exist, and cancels nothing", async () => {
    expect(await status(gw.get(`/v1/orders/${adasOrder}`, as(bob)))).toBe(404);
    expect(await status(gw.get(`/v1/orders/${adasOrder}?include=productDetails`, as(bob)))).toBe(404);
    gw.downstreams.reset();
    expect(await status(gw.post(`/v1/orders/${adasOrder}/cancel`, {}, as(bob)))).toBe(404);
    expect(gw.downstreams.commands).toEqual([]);
    expect(await status(gw.get(`/v1/sagas/${adasOrder}`, as(bob)))).toBe(404);
  });

  it("without a customer and without staff reaches no customer's data", async () => {
    expect(await status(gw.get(`/v1/customers/${ada}`, as(undefined)))).toBe(403);
    expect(await status(gw.get(`/v1/orders/${adasOrder}`, as(undefined)))).toBe(404);
  });

  it("cannot register customers (staff only)", async () => {
    const res = await gw.post("/v1/customers", { name: "eve", email: "eve@example.com", address }, as(ada));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toContain("staff");
  });
});

describe("a staff token", () => {
  it("reads and changes every customer's data", async () => {
    const staff = { "x-test-scopes": ALL_SCOPES };
    expect(await status(gw.get(`/v1/customers/${bob}`, staff))).toBe(200);
    expect(await status(gw.get(`/v1/customers/${ada}/orders`, staff))).toBe(200);
    expect(await status(gw.get(`/v1/orders/${adasOrder}`, staff))).toBe(200);
    expect(await status(gw.post(`/v1/orders/${adasOrder}/cancel`, {}, staff))).toBe(200);
  });
});
