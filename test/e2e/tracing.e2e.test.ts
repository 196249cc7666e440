import { randomUUID } from "node:crypto";
import { waitFor, type RunningProcess } from "@bazaar/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContexts, type Contexts } from "./contexts.js";
import { restClient } from "./restClient.js";

/**
 * One trace per request, read back from the local Jaeger (`deploy/local/stack`: OTLP/HTTP in,
 * the query API out): an async order's trace crosses the gateway, ordering, Cassandra, JetStream,
 * inventory's reaction and ordering's reaction and projector, in causal order; a sync order's
 * trace holds its saga's steps, a refused one its compensation; and an order whose inventory
 * process was down while it was placed keeps its trace when the process comes back: the batch
 * that finally takes the event is linked to it.
 */
const JAEGER_OTLP = `http://127.0.0.1:${process.env.JAEGER_OTLP_HTTP_PORT ?? "4318"}`;
const JAEGER_QUERY = `http://127.0.0.1:${process.env.JAEGER_QUERY_PORT ?? "16686"}`;
/** Every trace kept (sampling 1.0, the parent-based ratio sampler), exported to the local Jaeger. */
const TRACING = { OTEL_EXPORTER_OTLP_ENDPOINT: JAEGER_OTLP, OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "1.0" };

let contexts: Contexts;
let gateway: RunningProcess;
let base: string;

beforeAll(async () => {
  const jaeger = await fetch(`${JAEGER_QUERY}/api/services`).catch((error: unknown) => error as Error);
  if (jaeger instanceof Error || !jaeger.ok)
    throw new Error(
      `Jaeger's query API does not answer at ${JAEGER_QUERY} ('bash deploy/local/stack up' starts it): ${jaeger instanceof Error ? jaeger.message : jaeger.status}`,
    );
  contexts = await startContexts(["catalog", "inventory", "ordering"], { catalog: TRACING, inventory: TRACING, ordering: TRACING });
  ({ process: gateway, base } = await contexts.startGateway(TRACING));
});

afterAll(async () => {
  await gateway?.stop();
  await contexts?.stopAll();
  await contexts?.cleanup();
});

const { post, newProduct } = restClient(() => base);
const customerId = randomUUID();

/** Places an order once ordering's replica knows the product (it learns it from the catalog's events). */
const place = (flow: "async" | "sync", productId: string, quantity: number) =>
  waitFor(`a ${flow} order answered`, async () => {
    const res = await post(`/v1/orders?flow=${flow}`, { customerId, lines: [{ productId, quantity }] });
    return res.status === 400 ? undefined : res;
  });

/** The trace id the gateway answered with, checked against its `traceparent`. */
const traceIdOf = (res: Response): string => {
  const traceId = res.headers.get("x-trace-id");
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(res.headers.get("traceparent")).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  return traceId!;
};

interface Span {
  spanID: string;
  traceID: string;
  operationName: string;
  service: string;
  startTime: number;
  parent: string | undefined;
  /** Span links (Jaeger: FOLLOWS_FROM references). */
  links: { traceID: string; spanID: string }[];
  tag(key: string): unknown;
  error: boolean;
}

interface JaegerTrace {
  spans: {
    traceID: string;
    spanID: string;
    operationName: string;
    startTime: number;
    processID: string;
    references?: { refType: string; traceID: string; spanID: string }[];
    tags: { key: string; value: unknown }[];
  }[];
  processes: Record<string, { serviceName: string }>;
}

const fetchTrace = async (traceId: string): Promise<Span[] | undefined> => {
  const res = await fetch(`${JAEGER_QUERY}/api/traces/${traceId}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`Jaeger answered ${res.status} for trace ${traceId}`);
  const trace = ((await res.json()) as { data?: JaegerTrace[] }).data?.[0];
  return trace?.spans.map((s) => ({
    spanID: s.spanID,
    traceID: s.traceID,
    operationName: s.operationName,
    service: trace.processes[s.processID]?.serviceName ?? "?",
    startTime: s.startTime,
    parent: s.references?.find((r) => r.refType === "CHILD_OF" && r.traceID === s.traceID)?.spanID,
    links: (s.references ?? []).filter((r) => r.refType === "FOLLOWS_FROM" || r.traceID !== s.traceID).map(({ traceID, spanID }) => ({ traceID, spanID })),
    tag: (key: string) => s.tags.find((t) => t.key === key)?.value,
    error:
      s.tags.some((t) => t.key === "error" && (t.value === true || t.value === "true")) ||
      s.tags.some((t) => t.key === "otel.status_code" && t.value === "ERROR"),
  }));
};

/** Every span's parent is there: no process still holds a span of the chain unexported. */
const whole = (spans: Span[]) => {
  const ids = new Set(spans.map((s) => s.spanID));
  return spans.every((s) => s.parent === undefined || ids.has(s.parent));
};

/**
 * The trace once it is whole and holds what `complete` asks for: each process exports its spans
 * in batches, seconds apart, so a trace fills in out of order. Bounded.
 */
const traceUntil = (traceId: string, what: string, complete: (spans: Span[]) => boolean): Promise<Span[]> =>
  waitFor(
    `trace ${traceId}: ${what}`,
    async () => {
      const spans = await fetchTrace(traceId);
      return spans && whole(spans) && complete(spans) ? spans : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );

const find = (spans: Span[], service: string, name: string | RegExp) =>
  spans.filter((s) => s.service === service && (typeof name === "string" ? s.operationName === name : name.test(s.operationName)));
const one = (spans: Span[], service: string, name: string | RegExp): Span => {
  const found = find(spans, service, name);
  expect(found.length, `${service} ${String(name)} in ${spans.map((s) => `${s.service}:${s.operationName}`).join(", ")}`).toBeGreaterThan(0);
  return found[0]!;
};

/** The span's ancestors, nearest first, up to the trace's root. */
const ancestry = (spans: Span[], span: Span): Span[] => {
  const byId = new Map(spans.map((s) => [s.spanID, s]));
  const chain: Span[] = [];
  for (let at = span.parent ? byId.get(span.parent) : undefined; at; at = at.parent ? byId.get(at.parent) : undefined) chain.push(at);
  return chain;
};

/** A step of a causal chain: which service, which span. */
type Hop = [service: string, name: string | RegExp];

/**
 * `hops` appear along `chain` (root first) in this order — other spans may sit between — and each
 * starts no earlier than the one before it.
 */
const expectCausalOrder = (chain: Span[], hops: Hop[]) => {
  const label = (s: Span) => `${s.service}:${s.operationName}`;
  const matched: Span[] = [];
  let at = 0;
  for (const [service, name] of hops) {
    while (
      at < chain.length &&
      !(chain[at]!.service === service && (typeof name === "string" ? chain[at]!.operationName === name : name.test(chain[at]!.operationName)))
    )
      at++;
    expect(at < chain.length, `${service}:${String(name)} after ${matched.map(label).join(" → ") || "the start"}, along ${chain.map(label).join(" → ")}`).toBe(
      true,
    );
    matched.push(chain[at]!);
    at++;
  }
  for (let i = 1; i < matched.length; i++) expect(matched[i]!.startTime).toBeGreaterThanOrEqual(matched[i - 1]!.startTime);
};

const PLACE = "bazaar.ordering.v1.OrderingCommandService/PlaceOrder";

/** An async order's trace, complete: the confirmation appended by ordering's reaction and its order view applied. */
const asyncOrderDone = (spans: Span[]) =>
  find(spans, "ordering", "react stock-outcome inventory.StockReserved.v1").length > 0 &&
  find(spans, "ordering", /^append /).length >= 2 &&
  find(spans, "ordering", /^apply ([a-z0-9]+-)?ordering-order-view$/).filter((s) => s.tag("bazaar.projection.outcome") === "applied").length >= 2;

/** The batch span a consumer's span is linked to, read from its own trace. */
const batchOf = async (span: Span): Promise<Span> => {
  expect(span.links.length, `${span.operationName} links to its batch`).toBe(1);
  const { traceID, spanID } = span.links[0]!;
  const spans = await traceUntil(traceID, "the batch span", (all) => all.some((s) => s.spanID === spanID));
  return spans.find((s) => s.spanID === spanID)!;
};

describe("one trace per request, in Jaeger", () => {
  it("an async order: gateway, gRPC, append, publish, inventory's reaction, the confirmation and the projector applies, in causal order", async () => {
    const mug = await newProduct("Traced mug", 5);
    const res = await place("async", mug, 2);
    expect(res.status).toBe(202);
    const traceId = traceIdOf(res);
    const spans = await traceUntil(traceId, "the order confirmed and projected", asyncOrderDone);

    const server = one(spans, "gateway", "POST /v1/orders");
    expect(server.parent).toBeUndefined();
    expect(server.tag("http.response.status_code")).toBe(202);
    const client = one(spans, "gateway", PLACE);
    const placed = one(spans, "ordering", PLACE);
    const append = find(spans, "ordering", /^append /).sort((a, b) => a.startTime - b.startTime)[0];
    expect(append!.tag("bazaar.stream.expected_version")).toBe(0);
    expect(append!.tag("bazaar.stream.next_version")).toBe(1);
    expect(append!.tag("bazaar.event.count")).toBe(1);
    const publish = find(spans, "ordering", /^publish /).find((s) => s.parent === append!.spanID)!;
    expect(publish, "the OrderPlaced publish, a child of its append").toBeDefined();
    expect(publish.tag("messaging.system")).toBe("nats");
    const outcome = one(spans, "ordering", "react stock-outcome inventory.StockReserved.v1");
    const confirmation = find(spans, "ordering", /^append /).find((s) => s.parent === outcome.spanID);
    expect(confirmation, "the confirmation's append, a child of ordering's reaction").toBeDefined();
    expect(confirmation!.tag("bazaar.stream.expected_version")).toBe(1);

    // The confirmation descends from the request, hop by hop, across three processes and two JetStream hops.
    expectCausalOrder([confirmation!, ...ancestry(spans, confirmation!)].reverse(), [
      ["gateway", "POST /v1/orders"],
      ["gateway", PLACE],
      ["ordering", PLACE],
      ["ordering", /^append /],
      ["ordering", /^publish .*\.OrderPlaced$/],
      ["inventory", "react order-stock ordering.OrderPlaced.v1"],
      ["inventory", /^append /],
      ["inventory", /^publish .*\.StockReserved$/],
      ["ordering", "react stock-outcome inventory.StockReserved.v1"],
      ["ordering", /^append /],
    ]);
    expect(ancestry(spans, confirmation!)).toContain(publish);
    expect(ancestry(spans, confirmation!)).toEqual(expect.arrayContaining([server, client, placed, append]));
    // The order view applies both of the order's events, in the request's trace, each linked to its batch.
    const applies = find(spans, "ordering", /^apply ([a-z0-9]+-)?ordering-order-view$/).filter((s) => s.tag("bazaar.projection.outcome") === "applied");
    expect(applies.map((s) => s.tag("bazaar.stream.version")).sort()).toEqual([1, 2]);
    for (const apply of applies) expect(ancestry(spans, apply).at(-1)).toBe(server);
    // The batch is a trace of its own, linked back to this one.
    const batch = await batchOf(applies[0]!);
    expect(batch.operationName).toMatch(/^process /);
    expect(batch.traceID).not.toBe(traceId);
    expect(batch.links.some((l) => l.traceID === traceId)).toBe(true);
  });

  it("a sync order: the saga's steps with their gRPC calls; a refused one shows its compensation", async () => {
    const bowl = await newProduct("Traced bowl", 3);
    const confirmed = await place("sync", bowl, 2);
    expect(confirmed.status).toBe(201);
    const spans = await traceUntil(
      traceIdOf(confirmed),
      "the saga's three steps and the confirmation projected",
      (all) => find(all, "gateway", /^saga step /).length === 3 && find(all, "ordering", /^apply ([a-z0-9]+-)?ordering-order-view$/).length >= 2,
    );
    const server = one(spans, "gateway", "POST /v1/orders");
    const steps = find(spans, "gateway", /^saga step /).sort((a, b) => a.startTime - b.startTime);
    expect(steps.map((s) => s.operationName)).toEqual(["saga step ordering.create", "saga step inventory.reserve", "saga step ordering.confirm"]);
    for (const step of steps) {
      expect(ancestry(spans, step)).toContain(server);
      // Each step's call is its child, and the context's server span the call's.
      const call = spans.find((s) => s.parent === step.spanID && s.service === "gateway" && s.operationName.startsWith("bazaar."))!;
      expect(call, `${step.operationName} calls a context`).toBeDefined();
      expect(spans.some((s) => s.parent === call.spanID && s.service !== "gateway" && s.operationName === call.operationName)).toBe(true);
    }
    const confirm = one(spans, "ordering", "bazaar.ordering.v1.OrderingCommandService/ConfirmOrder");
    expect(spans.some((s) => s.operationName.startsWith("append ") && s.parent === confirm.spanID)).toBe(true);

    const refused = await place("sync", bowl, 5);
    expect(refused.status).toBe(409);
    const compensated = await traceUntil(traceIdOf(refused), "the compensation", (all) => find(all, "gateway", /^saga compensation /).length > 0);
    const reserve = one(compensated, "gateway", "saga step inventory.reserve");
    expect(reserve.error).toBe(true);
    const undo = one(compensated, "gateway", "saga compensation ordering.create");
    expect(undo.startTime).toBeGreaterThanOrEqual(reserve.startTime);
    expect(ancestry(compensated, undo)).toContain(one(compensated, "gateway", "POST /v1/orders"));
    // The undo reaches ordering as a call of its own in the same trace.
    const undoCall = compensated.find((s) => s.parent === undo.spanID)!;
    expect(undoCall, "the compensation's call").toBeDefined();
    expect(compensated.some((s) => s.service === "ordering" && s.parent === undoCall.spanID)).toBe(true);
  });

  it("an order placed while inventory is down keeps its trace: the restarted process's batch is linked to it", async () => {
    const cup = await newProduct("Traced cup", 5);
    await contexts.stop("inventory");
    const res = await place("async", cup, 1);
    expect(res.status).toBe(202);
    const traceId = traceIdOf(res);
    // Published, with nobody to react yet.
    await traceUntil(traceId, "the OrderPlaced publish", (all) => find(all, "ordering", /^publish /).length > 0);
    const restartedAt = Date.now() * 1000;
    await contexts.start("inventory");
    const spans = await traceUntil(traceId, "the order confirmed after the restart", asyncOrderDone);
    const reaction = one(spans, "inventory", "react order-stock ordering.OrderPlaced.v1");
    expect(reaction.startTime).toBeGreaterThanOrEqual(restartedAt);
    expect(ancestry(spans, reaction).map((s) => s.operationName)).toContain("POST /v1/orders");
    const batch = await batchOf(reaction);
    expect(batch.service).toBe("inventory");
    expect(batch.links.some((l) => l.traceID === traceId)).toBe(true);
  });
});
