import { Agent, request as undiciRequest } from "undici";
import { parseDuration } from "../duration.js";
import { recordSample, systemTags, type RunRuntime } from "../runtime.js";
import { describeRequestError } from "./httpErrors.js";
import { encodeRequestBody } from "./httpRequestBody.js";
import { canonicalHeaderName, Response, type RequestInfo, type Timings } from "./httpResponse.js";

/** What `http.expectedStatuses(...)` returns; the only kind of responseCallback k6 accepts. */
export class ExpectedStatuses {
  constructor(private readonly accepted: ReadonlyArray<number | { min: number; max: number }>) {}
  matches(status: number): boolean {
    return this.accepted.some((entry) => (typeof entry === "number" ? entry === status : status >= entry.min && status <= entry.max));
  }
}

export interface RequestParams {
  headers?: Record<string, string>;
  tags?: Record<string, unknown>;
  timeout?: string | number;
  responseType?: "text" | "binary" | "none";
  responseCallback?: ExpectedStatuses | null;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const USER_AGENT = "bazaar-k6-runner (k6-compatible)";

/** The messages for a script that used a Response without `await`. */
const RESPONSE_FIELDS = ["status", "status_text", "body", "json", "headers", "timings", "error", "error_code", "url", "request", "cookies"];

const guardAgainstMissingAwait = (promise: Promise<Response>, method: string): Promise<Response> => {
  // A request the script never awaited must not surface as an unhandled rejection (e.g. when its
  // iteration is interrupted); a script that awaits still sees the rejection.
  promise.catch(() => undefined);
  for (const field of RESPONSE_FIELDS) {
    void Object.defineProperty(promise, field, {
      get() {
        throw new TypeError(
          `await http.${method}(): this runner's k6/http calls return Promises — write \`const res = await http.${method}(…)\` before reading res.${field}`,
        );
      },
    });
  }
  return promise;
};

const headerBytes = (headers: Record<string, string | string[] | undefined>): number =>
  Object.entries(headers).reduce(
    (sum, [name, value]) => sum + (Array.isArray(value) ? value : [value ?? ""]).reduce((s, v) => s + name.length + v.length + 4, 0),
    0,
  );

/** The `k6/http` module over one keep-alive undici Agent per run. */
export const createHttpModule = (runtime: RunRuntime) => {
  const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000, connections: null, pipelining: 1 });
  let defaultCallback: ExpectedStatuses | null = new ExpectedStatuses([{ min: 200, max: 399 }]);

  const send = async (method: string, url: string, body: unknown, params: RequestParams = {}): Promise<Response> => {
    const context = runtime.contexts.require(`http.${method.toLowerCase()}()`);
    if (context.phase === "init")
      throw new Error("http requests are not allowed in the init context (module top level); make them in setup() or a VU function");
    const timeoutMs = params.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(params.timeout, "params.timeout");
    const encoded = encodeRequestBody(body);
    const headers: Record<string, string> = { "User-Agent": USER_AGENT };
    for (const [name, value] of Object.entries(params.headers ?? {})) headers[canonicalHeaderName(name)] = String(value);
    if (encoded.defaultContentType && !headers["Content-Type"]) headers["Content-Type"] = encoded.defaultContentType;
    const requestInfo: RequestInfo = {
      method,
      url,
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      body: encoded.text,
    };
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([timeout, context.signal]);
    const timings: Timings = { duration: 0, blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0 };
    let status = 0;
    let statusText = "";
    let responseBody: string | ArrayBuffer | null = null;
    let responseHeaders: Record<string, string> = {};
    let error = "";
    let errorCode = 0;
    let receivedBytes = 0;

    const startedAt = performance.now();
    try {
      const response = await undiciRequest(url, { dispatcher: agent, method, headers, body: encoded.bytes, signal });
      const headersAt = performance.now();
      timings.waiting = headersAt - startedAt;
      const bytes = new Uint8Array(await response.body.arrayBuffer());
      timings.receiving = performance.now() - headersAt;
      status = response.statusCode;
      statusText = `${status}`;
      receivedBytes = bytes.byteLength + headerBytes(response.headers) + 17;
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) responseHeaders[canonicalHeaderName(name)] = Array.isArray(value) ? value.join(", ") : value;
      }
      if (params.responseType === "binary") responseBody = bytes.buffer;
      else if (params.responseType !== "none") responseBody = Buffer.from(bytes).toString("utf8");
    } catch (cause) {
      // An interrupted iteration ends here: its samples would be dropped anyway.
      if (context.signal.aborted) throw cause;
      const described = describeRequestError(cause, timeout.aborted, timeoutMs);
      error = described.message;
      errorCode = described.code;
      responseHeaders = {};
    }
    timings.duration = performance.now() - startedAt;

    const callback = params.responseCallback === undefined ? defaultCallback : params.responseCallback;
    const userTags = Object.fromEntries(Object.entries(params.tags ?? {}).map(([key, value]) => [key, String(value)]));
    const tags: Record<string, string> = { ...systemTags(runtime, context), ...userTags, method, status: String(status), name: userTags.name ?? url };
    const expected = callback?.matches(status);
    if (expected !== undefined) tags.expected_response = String(expected);
    const { builtins } = runtime;
    recordSample(runtime, context, builtins.httpReqs, 1, tags);
    recordSample(runtime, context, builtins.httpReqDuration, timings.duration, tags);
    recordSample(runtime, context, builtins.httpReqWaiting, timings.waiting, tags);
    recordSample(runtime, context, builtins.httpReqReceiving, timings.receiving, tags);
    if (expected !== undefined) recordSample(runtime, context, builtins.httpReqFailed, expected ? 0 : 1, tags);
    const sentBytes = method.length + url.length + 12 + headerBytes(headers) + (encoded.bytes?.byteLength ?? 0);
    recordSample(runtime, context, builtins.dataSent, sentBytes, tags);
    recordSample(runtime, context, builtins.dataReceived, receivedBytes, tags);

    return new Response(status, statusText, responseBody, responseHeaders, timings, url, requestInfo, error, errorCode);
  };

  const call = (method: string, label: string, url: string, body: unknown, params: RequestParams | undefined): Promise<Response> =>
    guardAgainstMissingAwait(send(method, String(url), body, params), label);

  const http = {
    request: (method: string, url: string, body?: unknown, params?: RequestParams) => call(method.toUpperCase(), "request", url, body, params),
    asyncRequest: (method: string, url: string, body?: unknown, params?: RequestParams) => call(method.toUpperCase(), "asyncRequest", url, body, params),
    get: (url: string, params?: RequestParams) => call("GET", "get", url, undefined, params),
    head: (url: string, params?: RequestParams) => call("HEAD", "head", url, undefined, params),
    options: (url: string, body?: unknown, params?: RequestParams) => call("OPTIONS", "options", url, body, params),
    post: (url: string, body?: unknown, params?: RequestParams) => call("POST", "post", url, body, params),
    put: (url: string, body?: unknown, params?: RequestParams) => call("PUT", "put", url, body, params),
    patch: (url: string, body?: unknown, params?: RequestParams) => call("PATCH", "patch", url, body, params),
    del: (url: string, body?: unknown, params?: RequestParams) => call("DELETE", "del", url, body, params),
    expectedStatuses: (...accepted: Array<number | { min: number; max: number }>) => new ExpectedStatuses(accepted),
    setResponseCallback: (callback: ExpectedStatuses | null) => {
      defaultCallback = callback;
    },
  };

  return { module: { default: http, ...http }, close: () => agent.close() };
};
