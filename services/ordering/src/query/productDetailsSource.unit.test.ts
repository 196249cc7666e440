import { CatalogQueryServiceService, Product } from "@bazaar/contracts/catalog/v1";
import { serviceClientOptions } from "@bazaar/runtime";
import { status, type ServerUnaryCall, type sendUnaryData } from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGrpcTestServer } from "../../../../test/fakes/grpcTestServer.js";
import { loadOrderingConfig } from "../orderingConfig.js";
import { connectCatalogQueries } from "./catalogQueries.js";
import { createProductDetailsSource } from "./productDetailsSource.js";

/** What the catalog does with the next GetProductDetails: answer, fail with a status, or never answer. */
type Step = "answer" | { fail: status } | "hold";

/** A real in-process catalog query role answering GetProductDetails from a script (then answering), counting calls. */
let script: Step[] = [];
let calls = 0;
const held: (() => void)[] = [];
const getProductDetails = (call: ServerUnaryCall<{ productId: string }, unknown>, callback: sendUnaryData<object>) => {
  calls += 1;
  const step = script.shift() ?? "answer";
  const answer = () => callback(null, { product: Product.fromPartial({ productId: call.request.productId, name: `Product ${call.request.productId}` }) });
  if (step === "answer") answer();
  else if (step === "hold") held.push(answer);
  else callback({ code: step.fail, details: "scripted" });
};

let server: Awaited<ReturnType<typeof startGrpcTestServer>>;
let address: string;
beforeAll(async () => {
  server = await startGrpcTestServer([[CatalogQueryServiceService, { getProductDetails }]]);
  address = server.address;
});
afterAll(() => server.close());

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const release of held.splice(0)) release();
  for (const thing of opened.splice(0)) thing.close();
  script = [];
  calls = 0;
});

/** The source as orderingService composes it, with a 100 ms timeout (the call's deadline: 200 ms) and a breaker that looks at ≥ 2 calls and stays open. */
const source = (settings: Record<string, string> = {}) => {
  const config = loadOrderingConfig({
    CATALOG_QUERY_ADDRESS: address,
    PRODUCT_DETAILS_TIMEOUT_MS: "100",
    CATALOG_BREAKER_VOLUME: "2",
    CATALOG_BREAKER_RESET_MS: "60000",
    ...settings,
  });
  const metrics = new Registry();
  const clientOptions = serviceClientOptions({ secret: "a-test-secret-of-at-least-thirty-two-bytes", caller: "ordering" });
  const catalog = connectCatalogQueries({ clientOptions, metrics }, config);
  opened.push(catalog);
  const details = createProductDetailsSource({
    catalog: catalog.catalog,
    ttlMs: config.cacheTtlMs,
    timeoutMs: config.breaker.timeoutMs,
    breakerState: catalog.breakerState,
  });
  return { details, metrics };
};

describe("product details on the hybrid path", () => {
  it("fetches details once, answers from the cache until invalidated", async () => {
    const { details } = source();
    const first = await details.details(["p1", "p2"]);
    expect(first.degradedReason).toBeUndefined();
    expect(first.products.get("p1")?.name).toBe("Product p1");
    await details.details(["p1", "p2"]);
    expect(calls).toBe(2);
    details.invalidate("p1");
    await details.details(["p1", "p2"]);
    expect(calls).toBe(3);
  });

  it("a not-found from a healthy catalog degrades that answer but never opens the breaker, and is not retried", async () => {
    const { details } = source();
    script = Array.from({ length: 6 }, () => ({ fail: status.NOT_FOUND }));
    for (let i = 0; i < 6; i++) expect((await details.details([`missing-${i}`])).degradedReason).toMatch(/^catalog unavailable: /);
    expect(calls).toBe(6);
    expect(details.state()).toBe("closed");
  });

  it("opens the breaker when the catalog fails: then answers degraded without calling it, and says so in its metrics", async () => {
    const { details, metrics } = source();
    script = [{ fail: status.UNAVAILABLE }, { fail: status.UNAVAILABLE }];
    expect((await details.details(["a"])).degradedReason).toMatch(/^catalog unavailable: /);
    expect((await details.details(["b"])).degradedReason).toBe("catalog circuit breaker is open");
    expect(details.state()).toBe("open");
    const refused = await details.details(["c"]);
    expect(refused).toEqual({ products: new Map(), degradedReason: "catalog circuit breaker is open" });
    expect(calls).toBe(2);
    const text = await metrics.metrics();
    expect(text).toContain('bazaar_ordering_breaker_state{service="catalog",method="getProductDetails"} 2');
    expect(text).toContain('bazaar_ordering_downstream_calls_total{service="catalog",method="getProductDetails",outcome="short_circuited"} 1');
  });

  it("a catalog that does not answer is a timeout after the guard's timeout, long before the call's deadline", async () => {
    const { details } = source();
    script = ["hold"];
    const started = performance.now();
    const answer = await details.details(["slow"]);
    // The guard's timeout answered, not the gRPC deadline after it.
    expect(performance.now() - started).toBeLessThan(190);
    expect(answer.degradedReason).toBe("catalog timed out after 100 ms");
  });

  it("calls beyond the bulkhead are not made: the answer is degraded at once", async () => {
    const { details } = source({ CATALOG_BULKHEAD_LIMIT: "1" });
    script = ["hold"];
    const answer = await details.details(["held", "refused"]);
    expect(answer.degradedReason).toBe("catalog timed out after 100 ms");
    expect(calls).toBe(1);
  });
});
