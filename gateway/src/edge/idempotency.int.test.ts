import { UnavailableError, ValidationError } from "@bazaar/core";
import { connectCassandra, ensureKeyspace } from "@bazaar/event-store";
import { createLogger } from "@bazaar/runtime";
import { stack, uniqueName } from "@bazaar/testing";
import type cassandra from "cassandra-driver";
import express from "express";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { problemHandler } from "../http/problem.js";
import { cassandraIdempotency, createCassandraIdempotencyStore, ensureIdempotencySchema, requestFingerprint } from "./idempotency.js";

const keyspace = uniqueName("gateway_idem");
let client: cassandra.Client;
let server: Server;
let base: string;

/** How often each route's handler really ran. */
const runs = { orders: 0, slow: 0, flaky: 0, invalid: 0 };
let openSlow: () => void = () => {};
let slowStarted: Promise<void> = Promise.resolve();

beforeAll(async () => {
  client = await connectCassandra(stack.cassandra);
  await ensureKeyspace(client, keyspace, 1);
  await ensureIdempotencySchema(client, keyspace);
  const logger = createLogger("idempotency-test", {});

  const app = express();
  app.use(express.json());
  // Stands in for `authenticate`: the key's scope is the principal's subject.
  app.use((req, res, next) => {
    res.locals.principal = { subject: req.get("x-test-subject") ?? "alice", scopes: [] };
    next();
  });
  app.use(cassandraIdempotency({ client, keyspace, ttlSeconds: 3600, logger, leaseMs: 2000 }));
  app.post("/v1/orders", (req, res) => {
    runs.orders += 1;
    const id = randomUUID();
    res.status(201).location(`/v1/orders/${id}`).setHeader("X-Consistency-Token", `order-${id}:1`);
    res.setHeader("X-Not-Replayed", "1");
    res.json({ id, lines: (req.body as { lines?: unknown }).lines, run: runs.orders });
  });
  app.post("/v1/slow", async (_req, res) => {
    runs.slow += 1;
    await new Promise<void>((resolve) => {
      openSlow = resolve;
      slowResolve();
    });
    res.status(201).json({ run: runs.slow });
  });
  app.post("/v1/flaky", (_req, res) => {
    runs.flaky += 1;
    if (runs.flaky === 1) throw new UnavailableError("inventory is unavailable");
    res.status(201).json({ run: runs.flaky });
  });
  app.post("/v1/invalid", () => {
    runs.invalid += 1;
    throw new ValidationError([{ field: "lines", message: "must not be empty" }]);
  });
  app.use(problemHandler(logger));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

let slowResolve: () => void = () => {};
beforeEach(() => {
  for (const name of Object.keys(runs) as (keyof typeof runs)[]) runs[name] = 0;
  slowStarted = new Promise((resolve) => (slowResolve = resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
});

const post = (path: string, body: unknown, key: string | undefined, subject = "alice") =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test-subject": subject, ...(key === undefined ? {} : { "idempotency-key": key }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const snapshot = async (res: Response) => ({
  status: res.status,
  body: await res.text(),
  location: res.headers.get("location"),
  consistency: res.headers.get("x-consistency-token"),
  contentType: res.headers.get("content-type"),
});

const order = { customerId: "c-1", lines: [{ productId: "p-1", quantity: 2 }] };

describe("Idempotency-Key (real Cassandra)", () => {
  it("replays the stored response byte for byte and runs the handler once", async () => {
    const key = randomUUID();
    const first = await post("/v1/orders", order, key);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const original = await snapshot(first);
    expect(original.status).toBe(201);

    for (let i = 0; i < 3; i += 1) {
      const again = await post("/v1/orders", order, key);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.headers.get("x-not-replayed")).toBeNull();
      expect(await snapshot(again)).toEqual(original);
    }
    expect(runs.orders).toBe(1);
  });

  it("treats the same body with its keys in another order as the same request", async () => {
    const key = randomUUID();
    const first = await snapshot(await post("/v1/orders", { customerId: "c-1", lines: [{ productId: "p-1", quantity: 2 }] }, key));
    const reordered = await post("/v1/orders", '{"lines":[{"quantity":2,"productId":"p-1"}],"customerId":"c-1"}', key);
    expect(reordered.headers.get("idempotent-replayed")).toBe("true");
    expect(await snapshot(reordered)).toEqual(first);
    expect(runs.orders).toBe(1);
  });

  it("answers 422 problem+json to the same key with another body, and runs nothing", async () => {
    const key = randomUUID();
    expect((await post("/v1/orders", order, key)).status).toBe(201);
    const reused = await post("/v1/orders", { ...order, lines: [{ productId: "p-1", quantity: 3 }] }, key);
    expect(reused.status).toBe(422);
    expect(reused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await reused.json()) as { status: number }).status).toBe(422);
    expect(runs.orders).toBe(1);
  });

  it("answers 422 to the same key on another path", async () => {
    const key = randomUUID();
    expect((await post("/v1/orders", order, key)).status).toBe(201);
    expect((await post("/v1/orders?flow=sync", order, key)).status).toBe(422);
  });

  it("lets one of two concurrent requests run; the other gets 409 + Retry-After, then the replay", async () => {
    const key = randomUUID();
    const first = post("/v1/slow", order, key);
    await slowStarted;
    const second = await post("/v1/slow", order, key);
    expect(second.status).toBe(409);
    expect(second.headers.get("retry-after")).toBe("1");
    expect(second.headers.get("content-type")).toMatch(/^application\/problem\+json/);

    openSlow();
    const done = await snapshot(await first);
    expect(done.status).toBe(201);
    const replayed = await post("/v1/slow", order, key);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(await snapshot(replayed)).toEqual(done);
    expect(runs.slow).toBe(1);
  });

  it("races many identical requests: exactly one runs", async () => {
    const key = randomUUID();
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => post("/v1/orders", order, key)))).map((res) => res.status);
    expect(runs.orders).toBe(1);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
  });

  it("releases the key after a 5xx so the retry runs", async () => {
    const key = randomUUID();
    const failed = await post("/v1/flaky", {}, key);
    expect(failed.status).toBe(503);
    const retried = await post("/v1/flaky", {}, key);
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect(runs.flaky).toBe(2);
    const replayed = await post("/v1/flaky", {}, key);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(runs.flaky).toBe(2);
  });

  it("keeps a 4xx answer like a success", async () => {
    const key = randomUUID();
    const refused = await snapshot(await post("/v1/invalid", {}, key));
    expect(refused.status).toBe(400);
    const again = await post("/v1/invalid", {}, key);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await snapshot(again)).toEqual(refused);
    expect(runs.invalid).toBe(1);
  });

  it("scopes keys by subject: another caller's same key is another request", async () => {
    const key = randomUUID();
    expect((await post("/v1/orders", order, key, "alice")).status).toBe(201);
    const bob = await post("/v1/orders", order, key, "bob");
    expect(bob.status).toBe(201);
    expect(bob.headers.get("idempotent-replayed")).toBeNull();
    expect(runs.orders).toBe(2);
  });

  it.each([
    ["too long", "k".repeat(201)],
    ["a control character", "abc\tdef"],
  ])("answers 400 problem+json to a key that is %s", async (_label, key) => {
    const res = await post("/v1/orders", order, key);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("Idempotency-Key");
    expect(runs.orders).toBe(0);
  });

  it("runs every request without a key", async () => {
    await post("/v1/orders", order, undefined);
    await post("/v1/orders", order, undefined);
    expect(runs.orders).toBe(2);
  });

  it("takes over a key whose first request was abandoned (its lease ran out)", async () => {
    const key = randomUUID();
    const store = createCassandraIdempotencyStore(client, keyspace, { ttlSeconds: 3600 });
    const fingerprint = requestFingerprint({ method: "POST", originalUrl: "/v1/orders", body: order });
    // A gateway that died mid-request, long ago.
    expect(await store.claim("alice", key, { owner: randomUUID(), fingerprint, now: new Date(Date.now() - 60_000) })).toEqual({ acquired: true });
    const res = await post("/v1/orders", order, key);
    expect(res.status).toBe(201);
    expect(runs.orders).toBe(1);
    expect((await post("/v1/orders", order, key)).headers.get("idempotent-replayed")).toBe("true");
  });

  it("stores rows with a TTL", async () => {
    const key = randomUUID();
    await post("/v1/orders", order, key);
    const row = (
      await client.execute(`SELECT TTL(response_body) AS ttl FROM ${keyspace}.idempotency_keys WHERE scope = ? AND key = ?`, ["alice", key], { prepare: true })
    ).first();
    expect(row.get("ttl") as number).toBeGreaterThan(3500);
  });
});
