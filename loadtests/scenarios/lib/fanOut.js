// Rename's fixture: FANOUT orders referencing each product, spread over customers with at most
// 100 orders each, and for each product the order whose view the staleness probe watches.
import { fail } from "k6";
import { bodyOf, describe, inBatches } from "./api.js";
import { send } from "./fixtures.js";
import { pollUntil } from "./poll.js";

// Larger than the other fixtures' batches: at FANOUT=1000 setup places thousands of orders.
const BATCH = 40;

/** How long setup may wait for the fan-out orders to be CONFIRMED: 60 s + 0.1 s per order. */
export const fanOutSettleSeconds = (productCount, fanout) => 60 + productCount * fanout * 0.1;

/** Places `fanout` async orders of one unit per product; resolves the ids per product. */
const placeOrders = async (products, customersOf, fanout) => {
  const specs = products.flatMap((product, p) =>
    Array.from({ length: fanout }, (_, j) => ({ p, productId: product.id, customerId: customersOf(p)[j % customersOf(p).length] })),
  );
  const placed = await inBatches(specs, BATCH, async (spec) => {
    const res = await send(
      "POST",
      "/v1/orders",
      { customerId: spec.customerId, lines: [{ productId: spec.productId, quantity: 1 }] },
      { tags: { name: "setup POST /v1/orders" } },
    );
    const body = bodyOf(res);
    if (res.status !== 202 || !body || !body.id) fail(describe(`setup: fan-out order for ${spec.productId}`, res));
    return { ...spec, orderId: body.id };
  });
  return products.map((_, p) => placed.filter((order) => order.p === p));
};

/**
 * Waits until every customer's history lists all its orders, CONFIRMED, so the renames are
 * measured on a platform that has finished the fixture's work (inventory reserves the orders
 * one by one: thousands take minutes on a small machine). Fails after `boundS`.
 */
const waitUntilConfirmed = async (ordersByCustomer, boundS) => {
  const customers = Object.keys(ordersByCustomer);
  await inBatches(customers, BATCH, async (customerId) => {
    const expected = ordersByCustomer[customerId];
    let last = "";
    const done = await pollUntil(
      async () => {
        const res = await send("GET", `/v1/customers/${customerId}/orders?limit=100`, undefined, { tags: { name: "setup GET /v1/customers/{id}/orders" } });
        if (res.status !== 200) fail(describe(`setup: GET /v1/customers/${customerId}/orders`, res));
        const items = bodyOf(res).items || [];
        const confirmed = items.filter((item) => item.status === "CONFIRMED").length;
        last = `${items.length} listed, ${confirmed} CONFIRMED of ${expected}`;
        return confirmed >= expected;
      },
      { intervalS: 0.5, timeoutS: boundS, maxIntervalS: 2 },
    );
    if (!done) fail(`setup: customer ${customerId}'s fan-out orders did not all show CONFIRMED within ${boundS} s (${last})`);
  });
};

/**
 * Places the fan-out and resolves, per product, what the rename iterations need:
 * `{ id, baseName, probeOrderId, probeCustomerId }`. The probe is the product's order with the
 * greatest id: ordering applies a rename to a product's orders in order-id order (its
 * orders-by-product table is clustered by order id), so that order is the last one reached —
 * when its view shows the name, the whole fan-out has been applied.
 */
export const placeFanOut = async (products, customers, customersPerProduct, fanout) => {
  const customersOf = (p) => customers.slice(p * customersPerProduct, (p + 1) * customersPerProduct);
  const ordersPerProduct = await placeOrders(products, customersOf, fanout);
  const ordersByCustomer = {};
  for (const orders of ordersPerProduct) for (const order of orders) ordersByCustomer[order.customerId] = (ordersByCustomer[order.customerId] || 0) + 1;
  await waitUntilConfirmed(ordersByCustomer, fanOutSettleSeconds(products.length, fanout));
  return products.map((product, p) => {
    const probe = ordersPerProduct[p].reduce((max, order) => (order.orderId > max.orderId ? order : max));
    return { id: product.id, baseName: product.name, probeOrderId: probe.orderId, probeCustomerId: probe.customerId };
  });
};
