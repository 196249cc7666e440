// What setup() builds before a measurement: products with plenty of stock, customers, orders,
// and the wait until the ordering context has heard of the products. Every step fails the run
// loudly (fail()) when the platform does not answer as it should: a run must never measure
// errors because its fixtures were missing.
import { fail, sleep } from "k6";
import { bodyOf, describe, inBatches, send as sendOnce } from "./api.js";
import { pollUntil } from "./poll.js";
import { runToken, uuid } from "./uuid.js";

/** Words the product names and the storefront's searches share. */
export const WORDS = ["lamp", "chair", "kettle", "desk", "rug", "mug", "shelf", "clock", "vase", "stool"];
export const CATEGORIES = ["home", "kitchen", "office"];

const SETUP_BATCH = 20;
const UNAVAILABLE_RETRY_S = 15;

/**
 * A setup request, retried while the gateway answers 503 or nothing (a circuit breaker still
 * open after a restart, a context still starting) for up to UNAVAILABLE_RETRY_S; a POST keeps
 * its Idempotency-Key across the retries, so a retry never creates a second resource. Any
 * other answer, or the last 503, goes back to the caller, which fails the run on it.
 */
export const send = async (method, path, body, options) => {
  const key = uuid();
  const withKey = Object.assign({}, options, { headers: Object.assign({ "Idempotency-Key": key }, (options && options.headers) || {}) });
  const deadline = Date.now() + UNAVAILABLE_RETRY_S * 1000;
  for (;;) {
    const res = await sendOnce(method, path, body, withKey);
    if ((res.status !== 503 && res.status !== 0) || Date.now() >= deadline) return res;
    await sleep(0.5);
  }
};

/** `count` products (201 each), named `<prefix> <word> <i>`, across the categories. */
export const createProducts = async (count, prefix) => {
  const run = runToken();
  const specs = Array.from({ length: count }, (_, i) => ({
    sku: `${prefix}-${run}-${i}`,
    name: `${prefix} ${WORDS[i % WORDS.length]} ${i}`,
    description: `load-test product ${i} of run ${run}`,
    category: CATEGORIES[i % CATEGORIES.length],
    price: { amount: 1000 + 10 * i, currency: "EUR" },
  }));
  return inBatches(specs, SETUP_BATCH, async (spec, i) => {
    const res = await send("POST", "/v1/products", spec, { tags: { name: "setup POST /v1/products" } });
    const body = bodyOf(res);
    if (res.status !== 201 || !body || !body.id) fail(describe(`setup: POST /v1/products ${spec.sku}`, res));
    return { id: body.id, name: spec.name, sku: spec.sku, category: spec.category, word: WORDS[i % WORDS.length] };
  });
};

/** Adds `quantity` to each product's stock, so orders never run out during a run. */
export const restock = async (products, quantity) => {
  await inBatches(products, SETUP_BATCH, async (product) => {
    const res = await send("POST", `/v1/inventory/${product.id}/restock`, { quantity }, { tags: { name: "setup POST /v1/inventory/{id}/restock" } });
    if (res.status !== 200) fail(describe(`setup: restock ${product.id}`, res));
  });
};

/** `count` customers (201 each) with unique emails. */
export const registerCustomers = async (count, prefix) => {
  const run = runToken();
  return inBatches(
    Array.from({ length: count }, (_, i) => i),
    SETUP_BATCH,
    async (i) => {
      const body = {
        name: `${prefix} customer ${i}`,
        email: `${prefix}-${run}-${i}@loadtest.example.com`,
        address: { line1: `${i} Load Street`, postalCode: "10115", city: "Berlin", country: "DE" },
      };
      const res = await send("POST", "/v1/customers", body, { tags: { name: "setup POST /v1/customers" } });
      const answer = bodyOf(res);
      if (res.status !== 201 || !answer || !answer.id) fail(describe(`setup: POST /v1/customers ${body.email}`, res));
      return answer.id;
    },
  );
};

/** Places an async order of `lines`; resolves its id, or null when ordering does not know a product yet (400). */
export const placeAsyncOrder = async (customerId, lines) => {
  const res = await send("POST", "/v1/orders", { customerId, lines }, { tags: { name: "setup POST /v1/orders" } });
  if (res.status === 202) return bodyOf(res).id;
  // Ordering resolves lines against its replica of the catalog, fed by events: until the
  // ProductCreated event has arrived the product is unknown there (a validation error).
  if (res.status === 400 || res.status === 422) return null;
  return fail(describe(`setup: POST /v1/orders for ${lines.map((line) => line.productId).join(", ")}`, res));
};

/** Resolves the order's status once it is CONFIRMED or REJECTED, or null after `timeoutS`. */
export const settledStatus = (orderId, timeoutS) =>
  pollUntil(
    async () => {
      const res = await send("GET", `/v1/orders/${orderId}`, undefined, { tags: { name: "setup GET /v1/orders/{id}" } });
      if (res.status === 404) return null;
      if (res.status !== 200) fail(describe(`setup: GET /v1/orders/${orderId}`, res));
      const status = bodyOf(res).status;
      return status === "CONFIRMED" || status === "REJECTED" ? status : null;
    },
    { intervalS: 0.1, timeoutS },
  );

/**
 * Waits until ordering knows every product: places one async order per product (retrying while
 * the product is unknown) and waits for it to be CONFIRMED — the whole choreography works.
 */
export const waitUntilOrderable = async (products, customerId, timeoutS) => {
  const bound = timeoutS || 60;
  await inBatches(products, SETUP_BATCH, async (product) => {
    const orderId = await pollUntil(() => placeAsyncOrder(customerId, [{ productId: product.id, quantity: 1 }]), { intervalS: 0.25, timeoutS: bound });
    if (!orderId)
      fail(`setup: ordering did not learn of product ${product.id} within ${bound} s (its replica is fed by catalog events: is the relay or NATS down?)`);
    const status = await settledStatus(orderId, bound);
    if (status !== "CONFIRMED")
      fail(`setup: the probe order ${orderId} for product ${product.id} ended ${status || "unsettled"} after ${bound} s (is inventory up and restocked?)`);
  });
};

/**
 * The usual fixture: `productCount` products restocked by `stock`, `customerCount` customers,
 * and ordering ready to take orders for all of them.
 */
export const createShop = async ({ prefix, productCount, customerCount, stock }) => {
  const products = await createProducts(productCount, prefix);
  await restock(products, stock);
  const customers = await registerCustomers(customerCount, prefix);
  await waitUntilOrderable(products, customers[0]);
  return { products, customers };
};

/** `createShop`, and `t0`: when setup ended, what iterations time their phases and deadlines from. */
export const createShopAndClock = async (options) => ({ ...(await createShop(options)), t0: Date.now() });

/** A random one of `items`. */
export const pick = (items) => items[Math.floor(Math.random() * items.length)];
