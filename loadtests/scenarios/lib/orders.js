// What the order scenarios do in an iteration: place a random order of the shop's, and follow an
// acknowledged async order until it settles.
import { check } from "k6";
import { bodyOf, get } from "./api.js";
import { pick } from "./fixtures.js";
import { pollUntil } from "./poll.js";

/** One unit of a random product of the shop, for a random customer of it. */
export const randomOrder = (shop) => ({ customerId: pick(shop.customers), lines: [{ productId: pick(shop.products).id, quantity: 1 }] });

/**
 * Reads the order (tagged `op: poll`) until it is CONFIRMED or REJECTED, as `pollUntil` paces it
 * (`intervalS`, `maxIntervalS`, `timeoutS`); resolves that status, or null when the bound passed.
 * A 404 means the order view has not caught up with the placement yet: it asks again.
 */
export const followUntilSettled = (orderId, tags, pace) =>
  pollUntil(async () => {
    const view = await get(`/v1/orders/${orderId}`, { tags: { ...tags, op: "poll", name: "GET /v1/orders/{id}" }, expected: [200, 404] });
    check(view, { "order poll: 200 or 404": (r) => r.status === 200 || r.status === 404 });
    const body = view.status === 200 ? bodyOf(view) : null;
    return body && (body.status === "CONFIRMED" || body.status === "REJECTED") ? body.status : null;
  }, pace);
