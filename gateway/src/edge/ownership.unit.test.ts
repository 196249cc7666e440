import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aCustomer, anOrder, aPosition, aSaga } from "../../../test/fakes/gatewayAnswers.js";
import { ALL_SCOPES, startTestGateway, type TestGateway } from "../../../test/fakes/testGateway.js";

/**
 * Object-level authorization (issue #11 item 2): an end user's token reads and changes only its
 * own customer and that customer's orders; staff read and change every customer's.
 */
let gw: TestGateway;
const ada = randomUUID();
const bob = randomUUID();
const adasOrder = randomUUID();

const address = { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" };
const CUSTOMER_SCOPES = "read orders:write customers:write";
/** Headers of an end user's token acting for `customerId`. */
const as = (customerId: string | undefined) => ({ "x-test-scopes": CUSTOMER_SCOPES, ...(customerId ? { "x-test-customer": customerId } : {}) });

beforeAll(async () => {
  gw = await startTestGateway();
});
/** Ordering knows one order, Ada's; every other call succeeds (what is checked is whether it is made). */
beforeEach(() => {
  const { customers, ordering, sagas } = gw.downstreams;
  gw.downstreams.reset();
  const order = anOrder({ orderId: adasOrder, customerId: ada });
  customers.answer("getCustomer", (request) => ({ customer: aCustomer({ customerId: request.customerId }), stale: false }));
  customers.answer("changeCustomerAddress", aPosition(2));
  customers.answer("registerCustomer", (request) => ({ customerId: request.customerId, ...aPosition(1) }));
  ordering.answer("getOrder", { order, stale: false });
  ordering.answer("getOrderDetails", { order, products: {}, degraded: false, degradedReason: "", stale: false });
  ordering.answer("listCustomerOrders", { orders: [order], total: 1, nextCursor: "" });
  ordering.answer("cancelOrder", aPosition(2));
  ordering.answer("placeOrder", { order, ...aPosition(1) });
  sagas.answer("get", aSaga({ sagaId: adasOrder, type: "place-order" }));
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
    expect(await status(gw.get(`/v1/customers/${ada}`, as(bob)))).toBe(403);
    expect(await status(gw.get(`/v1/customers/${ada}/orders`, as(bob)))).toBe(403);
    expect(await status(gw.post(`/v1/customers/${ada}/change-address`, { address }, as(bob)))).toBe(403);
    const order = await gw.post("/v1/orders", { customerId: ada, lines: [{ productId: adasOrder, quantity: 1 }] }, as(bob));
    expect(order.status).toBe(403);
    expect(((await order.json()) as { type: string }).type).toBe("/problems/forbidden");
    expect(gw.downstreams.calls).toEqual([]);
  });

  it("gets 404 for another customer's order, as if it did not exist, and cancels nothing", async () => {
    expect(await status(gw.get(`/v1/orders/${adasOrder}`, as(bob)))).toBe(404);
    expect(await status(gw.get(`/v1/orders/${adasOrder}?include=productDetails`, as(bob)))).toBe(404);
    expect(await status(gw.post(`/v1/orders/${adasOrder}/cancel`, {}, as(bob)))).toBe(404);
    expect(gw.downstreams.called()).not.toContain("ordering.cancelOrder");
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
