import { connectCassandra } from "@bazaar/event-store";
import { stack, uniqueName, waitFor, type RunningProcess } from "@bazaar/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer } from "./auth.js";
import { startContexts, type Contexts } from "./contexts.js";
import {
  anyString,
  deepJsonText,
  headerString,
  mutated,
  nastyStrings,
  operationsOf,
  schemaArbitraries,
  type OpenApiDocument,
  type Operation,
} from "./fuzz/openApiArbitraries.js";

/**
 * Issue #11 item 4 / invariant 7, by property-based fuzzing: every REST operation of the
 * gateway's own OpenAPI document receives thousands of generated and mutated requests — paths,
 * queries, headers, bodies, tokens — against the real platform, and
 *   1. no request is answered 5xx (the platform is up; a 503/504 would be a bug too), and
 *   2. requests refused for their input (guaranteed-invalid writes) are all 4xx and change
 *      nothing: the same events in every context, no Idempotency-Key recorded, no saga started.
 * The seed is printed; FUZZ_SEED=<n> replays a run, FUZZ_RUNS=<n> scales it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 4000);
const CONCURRENCY = 8;
const CONTEXTS = ["catalog", "inventory", "ordering", "customer"] as const;

let contexts: Contexts;
let gateway: RunningProcess;
let base: string;
let operations: Operation[];
let document: OpenApiDocument;

/** Ids, tokens and cursors of real resources, so generated requests reach real aggregates too. */
const known = { uuids: [] as string[], consistencyTokens: [] as string[], cursors: [] as string[], sagas: [] as string[] };

beforeAll(async () => {
  contexts = await startContexts([...CONTEXTS]);
  // One client sending thousands of requests: far above any person's rate.
  ({ process: gateway, base } = await contexts.startGateway({ RATE_LIMIT_LIMIT: "100000000", RATE_LIMIT_IP_LIMIT: "100000000" }));
  document = (await (await fetch(`${base}/openapi.json`)).json()) as OpenApiDocument;
  operations = operationsOf(document);
  await seed();
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await contexts?.stopAll();
  await contexts?.cleanup();
});

const send = (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${base}${path}`, {
    method: method.toUpperCase(),
    headers: { authorization: bearer, "content-type": "application/json", ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });

/** A few real products, stock, customers and orders (sync and async), and what their answers carry. */
const seed = async () => {
  const collect = async (res: Response) => {
    const token = res.headers.get("x-consistency-token");
    if (token) known.consistencyTokens.push(token);
    const body = (await res.json()) as { id?: string; sagaId?: string };
    if (res.status >= 300) throw new Error(`seeding answered ${res.status}: ${JSON.stringify(body)}`);
    if (body.id) known.uuids.push(body.id);
    if (body.sagaId) known.sagas.push(body.sagaId);
    return body;
  };
  const products: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { id } = await collect(
      await send("post", "/v1/products", {
        body: JSON.stringify({
          sku: uniqueName("FZ"),
          name: `Fuzz mug ${i}`,
          category: "kitchen",
          price: { amount: 1000 + i, currency: "EUR" },
          attributes: { colour: "blue" },
        }),
      }),
    );
    products.push(id!);
    await collect(await send("post", `/v1/inventory/${id}/restock`, { body: JSON.stringify({ quantity: 1000 }) }));
  }
  const address = { line1: "Main St 1", postalCode: "10115", city: "Berlin", country: "DE" };
  const { id: customer } = await collect(
    await send("post", "/v1/customers", { body: JSON.stringify({ name: "Fuzz", email: `${uniqueName("fz")}@example.com`, address }) }),
  );
  await collect(await send("post", "/v1/orders", { body: JSON.stringify({ customerId: customer, lines: [{ productId: products[0], quantity: 1 }] }) }));
  await collect(
    await send("post", "/v1/orders?flow=sync", { body: JSON.stringify({ customerId: customer, lines: [{ productId: products[1], quantity: 1 }] }) }),
  );
  // Real cursors of both paged reads (search needs the index's refresh).
  await waitFor("a second page of search results", async () => {
    const page = (await (await send("get", "/v1/products?q=fuzz&limit=1")).json()) as { nextCursor?: string | null };
    return page.nextCursor ? known.cursors.push(page.nextCursor) : undefined;
  });
  await waitFor("a second page of order history", async () => {
    const page = (await (await send("get", `/v1/customers/${customer}/orders?limit=1`)).json()) as { nextCursor?: string | null };
    return page.nextCursor ? known.cursors.push(page.nextCursor) : undefined;
  });
};

interface FuzzRequest {
  operationId: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const encodeSegment = (segment: string) => {
  try {
    return encodeURIComponent(segment);
  } catch {
    return "%ZZ"; // a lone surrogate: send a broken escape instead
  }
};

/** A path parameter: a real id, a fresh or upper-case UUID, or anything at all (sometimes raw, undecodable). */
const pathValue = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: valid.map((v) => encodeSegment(String(v))) },
    { weight: 1, arbitrary: anyString.map(encodeSegment) },
    { weight: 1, arbitrary: fc.constantFrom("%ZZ", "%", "%E0%A4%A", "..", "%2e%2e", "%00") },
  );

const tokenValue = fc.oneof(
  { weight: 8, arbitrary: fc.constant(bearer) },
  { weight: 1, arbitrary: headerString.map((s) => `Bearer ${s}`) },
  { weight: 1, arbitrary: fc.constantFrom("", "Bearer", "Basic YTpi", `${bearer}x`, bearer.replace(/\.[^.]+$/, ".c2lnbmF0dXJl")) },
);

/** Any request for one operation: each part valid, mutated or absurd, independently. */
const requestFor = (operation: Operation, arbitraries: ReturnType<typeof schemaArbitraries>): fc.Arbitrary<FuzzRequest> => {
  const param = (where: "path" | "query" | "header") => operation.parameters.filter((p) => p.in === where);
  const path = fc.tuple(...param("path").map((p) => pathValue(arbitraries.valid(p.schema)))).map((values) => {
    let i = 0;
    return operation.path.replace(/\{[^}]+\}/g, () => values[i++] ?? "");
  });
  const queryValue = (schema: Parameter["schema"]) =>
    fc.oneof(
      { weight: 4, arbitrary: arbitraries.valid(schema).map(String) },
      { weight: 1, arbitrary: anyString },
      { weight: 1, arbitrary: fc.constantFrom(...known.cursors, "") },
      // A sealed cursor altered in one character: well-formed, not ours.
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...known.cursors), fc.nat(), fc.constantFrom("A", "z", "0", "_"))
          .map(([c, at, ch]) => `${c.slice(0, at % c.length)}${ch}${c.slice((at % c.length) + 1)}`),
      },
    );
  const query = fc
    .tuple(
      fc.tuple(...param("query").map((p) => fc.option(queryValue(p.schema), { nil: undefined, freq: 2 }).map((v) => [p.name, v] as const))),
      fc.option(fc.tuple(anyString, anyString), { nil: undefined, freq: 5 }),
    )
    .map(([documented, extra]) => {
      const search = new URLSearchParams();
      for (const [name, value] of documented) if (value !== undefined) search.append(name, value);
      if (extra) search.append(extra[0], extra[1]);
      const text = search.toString();
      return text ? `?${text}` : "";
    });
  const headerValue = (name: string, schema: Parameter["schema"]) =>
    name.toLowerCase() === "x-consistency-token" && known.consistencyTokens.length > 0
      ? fc.oneof(fc.constantFrom(...known.consistencyTokens), headerString)
      : fc.oneof(
          arbitraries
            .valid(schema)
            .map(String)
            .filter((s) => /^[\x20-\xff]*$/.test(s)),
          headerString,
        );
  const headers = fc
    .record({
      authorization: tokenValue,
      documented: fc.tuple(
        ...param("header").map((p) => fc.option(headerValue(p.name, p.schema), { nil: undefined, freq: 2 }).map((v) => [p.name, v] as const)),
      ),
      idempotencyKey: fc.option(fc.oneof({ weight: 3, arbitrary: fc.uuid() }, { weight: 1, arbitrary: headerString }), { nil: undefined, freq: 2 }),
      traceparent: fc.option(fc.oneof(headerString, fc.constant("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")), { nil: undefined, freq: 3 }),
      correlationId: fc.option(headerString, { nil: undefined, freq: 4 }),
      contentType: fc.oneof(
        { weight: 9, arbitrary: fc.constant("application/json") },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/merge-patch+json",
            "application/json; charset=latin1",
            "application/json; charset=utf-16",
          ),
        },
      ),
    })
    .map(({ authorization, documented, idempotencyKey, traceparent, correlationId, contentType }) => {
      const all: Record<string, string | undefined> = {
        authorization,
        ...Object.fromEntries(documented),
        ...(operation.method === "post" ? { "idempotency-key": idempotencyKey } : {}),
        traceparent,
        "x-correlation-id": correlationId,
        "content-type": contentType,
      };
      return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
    });
  const body: fc.Arbitrary<string | undefined> = operation.body
    ? fc.oneof(
        { weight: 4, arbitrary: arbitraries.valid(operation.body).map((v) => JSON.stringify(v)) },
        { weight: 4, arbitrary: mutated(arbitraries.valid(operation.body)).map((m) => JSON.stringify(m.value)) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
        { weight: 1, arbitrary: deepJsonText },
        {
          weight: 1,
          arbitrary: fc.oneof(anyString, fc.constantFrom("{", '{"a":', "[1,", "\u0000", '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}')),
        },
      )
    : fc.option(
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        { nil: undefined, freq: 3 },
      );
  return fc.record({ path, query, headers, body }).map((r) => ({
    operationId: operation.operationId,
    method: operation.method,
    path: `${r.path}${r.query}`,
    headers: r.headers,
    ...(r.body !== undefined && operation.method === "post" ? { body: r.body } : {}),
  }));
};

type Parameter = Operation["parameters"][number];

/** Sends every request, CONCURRENCY at a time; the status of each, or the error fetch threw. */
const sendAll = async (requests: FuzzRequest[]) => {
  const outcomes: { request: FuzzRequest; status: number; body: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const res = await fetch(`${base}${request.path}`, {
        method: request.method.toUpperCase(),
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      outcomes.push({ request, status: res.status, body: await res.text() });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcomes;
};

const table = (outcomes: { status: number }[]) => {
  const counts = new Map<number, number>();
  for (const { status } of outcomes) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `  ${status}: ${count}`)
    .join("\n");
};

/** Everything a write could leave behind: events of every context, the gateway's keys and sagas. */
const footprint = async () => {
  const cql = await connectCassandra(stack.cassandra);
  try {
    const count = async (table: string) => Number((await cql.execute(`SELECT count(*) AS n FROM ${table}`)).first().get("n"));
    const counts: Record<string, number> = {};
    for (const context of CONTEXTS) counts[`${context}.events`] = await count(`${context}_${contexts.namespace}.events`);
    counts["gateway.idempotency_keys"] = await count(`gateway_${contexts.namespace}.idempotency_keys`);
    counts["gateway.sagas"] = await count(`gateway_${contexts.namespace}.sagas`);
    return counts;
  } finally {
    await cql.shutdown();
  }
};

describe(`REST fuzzing (seed ${SEED}, FUZZ_SEED=${SEED} replays it)`, () => {
  it("covers every operation of the OpenAPI document", () => {
    expect(operations.length).toBeGreaterThanOrEqual(18);
    expect(operations.map((o) => o.operationId)).toEqual(
      expect.arrayContaining(["createProduct", "searchProducts", "placeOrder", "listCustomerOrders", "getSaga"]),
    );
  });

  it("answers no generated or mutated request with a 5xx", async () => {
    const arbitraries = schemaArbitraries(document.components.schemas, { uuid: () => [...known.uuids, ...known.sagas] });
    const perOperation = Math.ceil(RUNS / operations.length);
    const requests = operations.flatMap((operation, i) => fc.sample(requestFor(operation, arbitraries), { numRuns: perOperation, seed: SEED + i }));
    const started = performance.now();
    const outcomes = await sendAll(requests);
    const seconds = (performance.now() - started) / 1000;
    console.log(`REST fuzzing: ${outcomes.length} requests over ${operations.length} operations in ${seconds.toFixed(1)} s (seed ${SEED})\n${table(outcomes)}`);
    const failures = outcomes.filter((o) => o.status >= 500);
    expect(
      failures
        .slice(0, 5)
        .map(
          (f) =>
            `${f.status} ${f.request.method.toUpperCase()} ${f.request.path}\n  headers ${JSON.stringify(f.request.headers)}\n  body ${f.request.body?.slice(0, 300)}\n  → ${f.body.slice(0, 300)}`,
        ),
      `${failures.length} of ${outcomes.length} requests answered 5xx`,
    ).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(RUNS);
    // Some requests must get through, or the fuzzer only ever exercised the validators.
    expect(outcomes.filter((o) => o.status < 300).length).toBeGreaterThan(RUNS / 20);
  }, 180_000);

  it("changes nothing with writes refused for their input", async () => {
    const arbitraries = schemaArbitraries(document.components.schemas, { uuid: () => [...known.uuids] });
    const writes = operations.filter((o) => o.method === "post");
    // Invalid by construction: every body schema is strict at its root, so an unknown key there
    // is always refused; a write without a body gets an id that is no UUID.
    const invalid = (operation: Operation): fc.Arbitrary<FuzzRequest> =>
      fc
        .tuple(
          requestFor(operation, arbitraries),
          operation.body ? mutated(arbitraries.valid(operation.body), ["unknown-key"]) : fc.constant(undefined),
          fc.constantFrom(...nastyStrings.filter((s) => s !== "")),
        )
        .map(([request, body, badId]) => ({
          ...request,
          headers: { ...request.headers, authorization: bearer, "content-type": "application/json" },
          ...(body
            ? { body: JSON.stringify({ ...(body.value as object), fuzz_refused: true }), path: request.path }
            : { path: operation.path.replace(/\{[^}]+\}/, encodeSegment(`not-a-uuid-${badId}`)).replace(/\{[^}]+\}/g, known.uuids[0]!) }),
        }));
    const requests = writes.flatMap((operation, i) => fc.sample(invalid(operation), { numRuns: Math.ceil(600 / writes.length), seed: SEED + 1000 + i }));
    await contexts.quiescence();
    const before = await footprint();
    const outcomes = await sendAll(requests);
    await contexts.quiescence();
    const after = await footprint();
    console.log(`refused writes: ${outcomes.length} requests over ${writes.length} operations\n${table(outcomes)}\nfootprint ${JSON.stringify(after)}`);
    const accepted = outcomes.filter((o) => o.status < 400 || o.status >= 500);
    expect(
      accepted.slice(0, 5).map((o) => `${o.status} ${o.request.path} ${o.request.body?.slice(0, 200)} → ${o.body.slice(0, 200)}`),
      "every invalid write is refused with a 4xx",
    ).toEqual([]);
    expect(after).toEqual(before);
  }, 180_000);
});
