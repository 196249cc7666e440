// The gateway's REST API as the scripts call it: base URL, headers, JSON bodies, an
// Idempotency-Key on every POST. Each function returns what k6/http returns (a response in
// k6, a Promise of one in the runner): callers always `await` it.
import http from "k6/http";
import { uuid } from "./uuid.js";

/** The gateway under test, from -e BASE=…; trailing slashes dropped so paths join cleanly. */
export const BASE = (__ENV.BASE || "http://127.0.0.1:8080").replace(/\/+$/, "");

/** Bearer token and JSON content type, plus `extra`. */
export const headers = (extra) => Object.assign({ Authorization: `Bearer ${__ENV.TOKEN || ""}`, "content-type": "application/json" }, extra || {});

/**
 * k6 request params. `expected` lists the statuses that are answers, not failures, for
 * http_req_failed (a sync order's 409 REJECTED, a poll's 404 before the view has the order).
 */
const paramsOf = (options) => {
  const { tags, headers: extra, expected, timeout } = options || {};
  const params = { headers: headers(extra), tags: tags || {} };
  if (expected) params.responseCallback = http.expectedStatuses(...expected);
  if (timeout) params.timeout = timeout;
  return params;
};

/** GET `path` (e.g. "/v1/orders/…"). */
export const get = (path, options) => http.get(`${BASE}${path}`, paramsOf(options));

/** POST `body` as JSON to `path`, with a fresh Idempotency-Key unless `options.headers` has one. */
export const post = (path, body, options) => {
  const params = paramsOf(options);
  if (!params.headers["Idempotency-Key"]) params.headers["Idempotency-Key"] = uuid();
  return http.post(`${BASE}${path}`, JSON.stringify(body === undefined ? {} : body), params);
};

/**
 * The same request through http.asyncRequest: a Promise in k6 too, so setup can run a batch
 * at once with Promise.all (plain http.* calls block a k6 VU until they answer).
 */
export const send = (method, path, body, options) => {
  const params = paramsOf(options);
  if (method === "POST" && !params.headers["Idempotency-Key"]) params.headers["Idempotency-Key"] = uuid();
  return http.asyncRequest(method, `${BASE}${path}`, body === undefined ? null : JSON.stringify(body), params);
};

/** The parsed JSON body, or null when there is none or it is not JSON. */
export const bodyOf = (res) => {
  if (!res || typeof res.body !== "string" || res.body.length === 0) return null;
  try {
    return JSON.parse(res.body);
  } catch {
    return null;
  }
};

/** "POST /v1/orders → 503 {…}" for failure messages: what was asked and what came back. */
export const describe = (what, res) =>
  `${what} → ${res ? res.status : "no response"} ${res && res.body ? String(res.body).slice(0, 300) : ""}${res && res.error ? ` (${res.error})` : ""}`;

/** Runs `fn` over `items`, `size` at a time (fn should use `send`, so a batch really overlaps). */
export const inBatches = async (items, size, fn) => {
  const results = [];
  for (let i = 0; i < items.length; i += size) {
    const batch = await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)));
    for (const result of batch) results.push(result);
  }
  return results;
};

/** Milliseconds k6 attributes to the request (sending + waiting + receiving). */
export const latencyOf = (res) => (res && res.timings ? res.timings.duration : 0);
