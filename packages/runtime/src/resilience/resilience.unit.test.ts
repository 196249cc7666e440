import { ConcurrencyError, NotFoundError, RuleViolationError, TimeoutError, UnavailableError, ValidationError } from "@bazaar/core";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { BulkheadFullError, CircuitOpenError, createResilience, wasNotAttempted, type Resilience, type ResilienceSettings } from "./index.js";

const opened: Resilience[] = [];
afterEach(() => {
  for (const resilience of opened.splice(0)) resilience.close();
});

/** Fast settings: the breaker looks at ≥ 4 calls, opens above 50 % failures, probes after 100 ms; no backoff wait. */
const make = (settings: Partial<ResilienceSettings> = {}) => {
  const registry = new Registry();
  const resilience = createResilience({
    registry,
    metricsPrefix: "bazaar_gateway",
    settings: { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 100, timeoutMs: 1000, backoffBaseMs: 1, backoffMaxMs: 5, ...settings },
  });
  opened.push(resilience);
  return { resilience, registry };
};

/** A downstream call that counts its invocations and answers from a script (then repeats the last). */
const downstream = (...script: (Error | string)[]) => {
  let calls = 0;
  const call = async () => {
    const step = script[Math.min(calls, script.length - 1)];
    calls += 1;
    if (step instanceof Error) throw step;
    return step ?? "ok";
  };
  return { call, calls: () => calls };
};

const outcome = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

const stateOf = (resilience: Resilience, service: string, method: string) =>
  resilience.states().breakers.find((b) => b.service === service && b.method === method)?.state;

const gauge = async (registry: Registry, service: string, method: string) => {
  const metric = await registry.getSingleMetric("bazaar_gateway_breaker_state")?.get();
  return metric?.values.find((v) => v.labels.service === service && v.labels.method === method)?.value;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("circuit breaker", () => {
  it("opens after failures, then fails fast with UnavailableError naming the service, without calling", async () => {
    const { resilience, registry } = make();
    const failing = downstream(new UnavailableError("connection refused"));
    for (let i = 0; i < 4; i += 1) {
      const { error } = (await outcome(resilience.guard("catalog", "RenameProduct", { idempotent: false }, failing.call))) as { error: Error };
      expect(error).toBeInstanceOf(UnavailableError);
    }
    expect(stateOf(resilience, "catalog", "RenameProduct")).toBe("open");
    expect(await gauge(registry, "catalog", "RenameProduct")).toBe(2);

    const { error } = (await outcome(resilience.guard("catalog", "RenameProduct", { idempotent: false }, failing.call))) as { error: Error };
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toContain("catalog");
    expect(failing.calls()).toBe(4);
  });

  it("is per (service, method): another method of the service still runs", async () => {
    const { resilience } = make();
    const failing = downstream(new UnavailableError("down"));
    for (let i = 0; i < 5; i += 1) await outcome(resilience.guard("catalog", "RenameProduct", { idempotent: false }, failing.call));
    expect(stateOf(resilience, "catalog", "RenameProduct")).toBe("open");
    await expect(resilience.guard("catalog", "GetProduct", { idempotent: true }, async () => "product")).resolves.toBe("product");
  });

  it.each([
    ["validation", new ValidationError([{ field: "name", message: "must not be blank" }])],
    ["not-found", new NotFoundError("no such product")],
    ["concurrency", new ConcurrencyError("product-1", 3)],
    ["rule-violation", new RuleViolationError("discontinued")],
  ])("never opens on client errors (%s): they pass through untouched, every call runs", async (_kind, clientError) => {
    const { resilience, registry } = make();
    const refusing = downstream(clientError);
    for (let i = 0; i < 20; i += 1) {
      const { error } = (await outcome(resilience.guard("catalog", "RenameProduct", { idempotent: true }, refusing.call))) as { error: Error };
      expect(error).toBe(clientError);
    }
    expect(refusing.calls()).toBe(20);
    expect(stateOf(resilience, "catalog", "RenameProduct")).toBe("closed");
    expect(await gauge(registry, "catalog", "RenameProduct")).toBe(0);
  });

  it("half-opens after the reset timeout; a successful probe closes it", async () => {
    const { resilience, registry } = make();
    const flaky = downstream(new UnavailableError("down"), new UnavailableError("down"), new UnavailableError("down"), new UnavailableError("down"), "back");
    for (let i = 0; i < 4; i += 1) await outcome(resilience.guard("inventory", "Reserve", { idempotent: false }, flaky.call));
    expect(stateOf(resilience, "inventory", "Reserve")).toBe("open");

    await sleep(150);
    expect(stateOf(resilience, "inventory", "Reserve")).toBe("half-open");
    expect(await gauge(registry, "inventory", "Reserve")).toBe(1);
    await expect(resilience.guard("inventory", "Reserve", { idempotent: false }, flaky.call)).resolves.toBe("back");
    expect(stateOf(resilience, "inventory", "Reserve")).toBe("closed");
    expect(await gauge(registry, "inventory", "Reserve")).toBe(0);
  });

  it("a failed probe opens it again", async () => {
    const { resilience } = make();
    const failing = downstream(new UnavailableError("down"));
    for (let i = 0; i < 4; i += 1) await outcome(resilience.guard("inventory", "Reserve", { idempotent: false }, failing.call));
    await sleep(150);
    await outcome(resilience.guard("inventory", "Reserve", { idempotent: false }, failing.call));
    expect(failing.calls()).toBe(5);
    expect(stateOf(resilience, "inventory", "Reserve")).toBe("open");
  });

  it("turns a call slower than the timeout into a TimeoutError that counts as a failure", async () => {
    const { resilience, registry } = make({ timeoutMs: 30 });
    const { error } = (await outcome(resilience.guard("ordering", "PlaceOrder", { idempotent: false }, () => sleep(200).then(() => "late")))) as {
      error: Error;
    };
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("ordering");
    const calls = await registry.getSingleMetric("bazaar_gateway_downstream_calls_total")?.get();
    expect(calls?.values.find((v) => v.labels.outcome === "timeout")?.value).toBe(1);
  });
});

describe("retries", () => {
  it("retries an idempotent call on unavailable, then succeeds", async () => {
    const { resilience } = make({ volumeThreshold: 100 });
    const flaky = downstream(new UnavailableError("blip"), new UnavailableError("blip"), "ok");
    await expect(resilience.guard("catalog", "GetProduct", { idempotent: true }, flaky.call)).resolves.toBe("ok");
    expect(flaky.calls()).toBe(3);
  });

  it("retries on timeout too", async () => {
    const { resilience } = make({ volumeThreshold: 100 });
    const flaky = downstream(new TimeoutError("deadline exceeded"), "ok");
    await expect(resilience.guard("catalog", "GetProduct", { idempotent: true }, flaky.call)).resolves.toBe("ok");
    expect(flaky.calls()).toBe(2);
  });

  it("gives up after 2 retries with the last error", async () => {
    const { resilience, registry } = make({ volumeThreshold: 100 });
    const down = downstream(new UnavailableError("down"));
    await expect(resilience.guard("catalog", "GetProduct", { idempotent: true }, down.call)).rejects.toBeInstanceOf(UnavailableError);
    expect(down.calls()).toBe(3);
    const retries = await registry.getSingleMetric("bazaar_gateway_downstream_retries_total")?.get();
    expect(retries?.values[0]?.value).toBe(2);
  });

  it("retries only within the request's time budget, and starts nothing once it is spent", async () => {
    let left = 1_000;
    const resilience = createResilience({
      registry: new Registry(),
      metricsPrefix: "bazaar_gateway",
      settings: { volumeThreshold: 100, backoffBaseMs: 1, backoffMaxMs: 5 },
      remainingMs: () => left,
    });
    opened.push(resilience);
    const down = downstream(new UnavailableError("down"));
    const call = async () => {
      left = 0.5; // the first attempt used up the budget but for half a millisecond: no room for a retry
      return down.call();
    };
    await expect(resilience.guard("catalog", "GetProduct", { idempotent: true }, call)).rejects.toBeInstanceOf(UnavailableError);
    expect(down.calls()).toBe(1);
    left = 0;
    await expect(resilience.guard("catalog", "GetProduct", { idempotent: true }, down.call)).rejects.toBeInstanceOf(TimeoutError);
    expect(down.calls()).toBe(1);
  });

  it("never retries a non-idempotent call", async () => {
    const { resilience } = make({ volumeThreshold: 100 });
    const flaky = downstream(new UnavailableError("blip"), "ok");
    await expect(resilience.guard("ordering", "PlaceOrder", { idempotent: false }, flaky.call)).rejects.toBeInstanceOf(UnavailableError);
    expect(flaky.calls()).toBe(1);
  });

  it.each([
    ["a client error", new NotFoundError("no such product")],
    ["an unknown error", new Error("internal")],
  ])("never retries %s, even when idempotent", async (_label, failure) => {
    const { resilience } = make({ volumeThreshold: 100 });
    const refusing = downstream(failure, "ok");
    await expect(resilience.guard("catalog", "GetProduct", { idempotent: true }, refusing.call)).rejects.toBe(failure);
    expect(refusing.calls()).toBe(1);
  });

  it("does not retry into an open breaker", async () => {
    const { resilience } = make({ volumeThreshold: 1 });
    const refused = new UnavailableError("down");
    const down = downstream(refused);
    // The retry met the open breaker and was not made; the caller hears the attempt that was.
    await expect(resilience.guard("catalog", "GetProduct", { idempotent: true }, down.call)).rejects.toBe(refused);
    expect(down.calls()).toBe(1);
  });
});

describe("bulkhead", () => {
  it("refuses calls beyond the limit per service at once, without calling; frees slots as calls end", async () => {
    const { resilience, registry } = make({ bulkheadLimit: 2 });
    const gates: (() => void)[] = [];
    const slow = () => new Promise<string>((resolve) => gates.push(() => resolve("done")));
    const first = resilience.guard("inventory", "GetStock", { idempotent: true }, slow);
    const second = resilience.guard("inventory", "Reserve", { idempotent: false }, slow);
    await sleep(5);

    let called = false;
    const { error } = (await outcome(resilience.guard("inventory", "GetStock", { idempotent: true }, async () => ((called = true), "x")))) as { error: Error };
    expect(error).toBeInstanceOf(BulkheadFullError);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(/inventory.*bulkhead full/);
    expect(called).toBe(false);
    expect(resilience.states().bulkheads).toContainEqual({ service: "inventory", inFlight: 2, limit: 2 });

    // Another service has its own bulkhead.
    await expect(resilience.guard("catalog", "GetProduct", { idempotent: true }, async () => "product")).resolves.toBe("product");

    for (const open of gates) open();
    await expect(Promise.all([first, second])).resolves.toEqual(["done", "done"]);
    await expect(resilience.guard("inventory", "GetStock", { idempotent: true }, async () => "again")).resolves.toBe("again");
    const calls = await registry.getSingleMetric("bazaar_gateway_downstream_calls_total")?.get();
    expect(calls?.values.find((v) => v.labels.outcome === "bulkhead_full")?.value).toBe(1);
  });

  it("a bulkhead rejection never counts against the breaker", async () => {
    const { resilience } = make({ bulkheadLimit: 1, volumeThreshold: 1 });
    let release = () => {};
    const held = resilience.guard("inventory", "GetStock", { idempotent: false }, () => new Promise<string>((resolve) => (release = () => resolve("ok"))));
    await sleep(5);
    for (let i = 0; i < 5; i += 1) await outcome(resilience.guard("inventory", "GetStock", { idempotent: false }, async () => "x"));
    release();
    await held;
    expect(stateOf(resilience, "inventory", "GetStock")).toBe("closed");
  });
});

describe("metrics", () => {
  it("registers state, outcomes and latency under the caller's prefix", async () => {
    const { resilience, registry } = make();
    await resilience.guard("catalog", "GetProduct", { idempotent: true }, async () => "ok");
    await outcome(resilience.guard("catalog", "GetProduct", { idempotent: true }, async () => Promise.reject(new NotFoundError("nope"))));
    const text = await registry.metrics();
    expect(text).toContain('bazaar_gateway_breaker_state{service="catalog",method="GetProduct"} 0');
    expect(text).toContain('bazaar_gateway_downstream_calls_total{service="catalog",method="GetProduct",outcome="success"} 1');
    expect(text).toContain('bazaar_gateway_downstream_calls_total{service="catalog",method="GetProduct",outcome="client_error"} 1');
    expect(text).toContain("bazaar_gateway_downstream_call_duration_seconds_bucket");
    expect(JSON.parse(JSON.stringify(resilience.states()))).toEqual({
      breakers: [{ service: "catalog", method: "GetProduct", state: "closed", fires: 2, failures: 0, rejects: 0, timeouts: 0 }],
      bulkheads: [{ service: "catalog", inFlight: 0, limit: 64 }],
    });
  });
});

describe("what a failed guarded call tells a saga", () => {
  it("a call refused before it left says so; a retry refused after an attempt that may have acted does not hide that attempt", async () => {
    const { resilience } = make({ volumeThreshold: 1, errorThresholdPercentage: 1, resetTimeoutMs: 60_000 });
    // The first attempt fails as if the service went away mid-call; it opens the breaker, so the retry is refused.
    const midCall = new UnavailableError("the service went away mid-call");
    const flaky = downstream(midCall);
    const first = (await outcome(resilience.guard("inventory", "ReserveStock", { idempotent: true }, flaky.call))) as { error: Error };
    expect(flaky.calls()).toBe(1);
    expect(first.error).toBe(midCall);
    expect(wasNotAttempted(first.error)).toBe(false);
    // Now the breaker is open: nothing is attempted, and the error says so.
    const refused = (await outcome(resilience.guard("inventory", "ReserveStock", { idempotent: true }, flaky.call))) as { error: Error };
    expect(flaky.calls()).toBe(1);
    expect(refused.error).toBeInstanceOf(CircuitOpenError);
    expect(wasNotAttempted(refused.error)).toBe(true);
  });
});
