import { ConcurrencyError, RuleViolationError, UnavailableError, ValidationError } from "@bazaar/core";
import { connectCassandra, ensureKeyspace } from "@bazaar/event-store";
import { CircuitOpenError, createLogger } from "@bazaar/runtime";
import { stack, uniqueName } from "@bazaar/testing";
import type cassandra from "cassandra-driver";
import { randomUUID } from "node:crypto";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSagaCoordinator } from "./createSagaCoordinator.js";
import { createSagaLog } from "./sagaLog.js";
import type { SagaPorts } from "./sagaPorts.js";

/**
 * The coordinator and its durable log on the real Cassandra; the downstream contexts are
 * scripted ports, so each failure can be placed exactly. (End to end through REST with real
 * services: test/e2e.)
 */
const keyspace = uniqueName("saga_test");
let client: cassandra.Client;

beforeAll(async () => {
  client = await connectCassandra(stack.cassandra);
  await ensureKeyspace(client, keyspace, 1);
});
afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
});

/** Ports that record their calls and fail where a test says. */
const scripted = (failures: Partial<Record<keyof SagaPorts, () => Error>> = {}, options: { reserved?: boolean } = {}) => {
  const calls: string[] = [];
  const act = async <T>(name: keyof SagaPorts, value: T): Promise<T> => {
    calls.push(name);
    const failure = failures[name];
    if (failure) throw failure();
    return value;
  };
  const ports: SagaPorts = {
    readProduct: () => act("readProduct", { name: "Old name", version: 3 }),
    renameProduct: (input) =>
      act("renameProduct", { position: { streamId: `catalog's own id for ${input.productId}`, version: input.expectedVersion + 1 }, previousName: "Old name" }),
    applyProductRename: () => act("applyProductRename", { applied: true }),
    placeSyncOrder: () => act("placeSyncOrder", { total: { amount: 100, currency: "EUR" } }),
    reserveStock: () =>
      act("reserveStock", options.reserved === false ? { reserved: false, reason: "insufficient stock for 1 product" } : { reserved: true, reason: "" }),
    releaseStock: () => act("releaseStock", undefined),
    confirmOrder: (orderId) => act("confirmOrder", { position: { streamId: `ordering's own id for ${orderId}`, version: 2 } }),
    rejectOrder: () => act("rejectOrder", undefined),
    cancelOrder: () => act("cancelOrder", undefined),
  };
  return { ports, calls };
};

const coordinator = (ports: SagaPorts, overrides: { recoverAfterMs?: number; stepTimeoutMs?: number } = {}) =>
  createSagaCoordinator({
    cassandra: client,
    keyspace,
    ports: () => ports,
    registry: new Registry(),
    logger: createLogger("saga-test"),
    stepTimeoutMs: overrides.stepTimeoutMs ?? 1_000,
    recoverAfterMs: overrides.recoverAfterMs ?? 60_000,
    recoveryIntervalMs: 60_000,
  });

const context = { correlationId: "c", actor: "test" };
const order = () => ({ orderId: randomUUID(), customerId: randomUUID(), lines: [{ productId: randomUUID(), quantity: 2 }] });

describe("the orchestrated order saga", () => {
  it("completes: create, reserve, confirm — each step logged", async () => {
    const { ports, calls } = scripted();
    const sagas = await coordinator(ports);
    const input = order();
    // The answer's position is ordering's, as ordering named its stream.
    expect(await sagas.placeOrder(input, context)).toMatchObject({
      sagaId: input.orderId,
      status: "COMPLETED",
      result: { position: { streamId: `ordering's own id for ${input.orderId}`, version: 2 } },
    });
    expect(calls).toEqual(["placeSyncOrder", "reserveStock", "confirmOrder"]);
    const view = await sagas.get(input.orderId);
    expect(view.status).toBe("COMPLETED");
    expect(view.steps.map((s) => `${s.name}:${s.status}`)).toEqual(["ordering.create:DONE", "inventory.reserve:DONE", "ordering.confirm:DONE"]);
    // A retried request finds the saga, and nothing runs again.
    expect(await sagas.placeOrder(input, context)).toMatchObject({ status: "COMPLETED" });
    expect(calls).toHaveLength(3);
    await sagas.stop();
  });

  it("rejects the order when stock is insufficient", async () => {
    const { ports, calls } = scripted({}, { reserved: false });
    const sagas = await coordinator(ports);
    const outcome = await sagas.placeOrder(order(), context);
    expect(outcome).toMatchObject({ status: "COMPENSATED", reason: "insufficient stock for 1 product" });
    expect(calls).toEqual(["placeSyncOrder", "reserveStock", "rejectOrder"]);
    await sagas.stop();
  });

  it("compensates in reverse order after a technical failure midway (release, then reject)", async () => {
    const { ports, calls } = scripted({ confirmOrder: () => new UnavailableError("ordering is down") });
    const sagas = await coordinator(ports);
    const input = order();
    expect(await sagas.placeOrder(input, context)).toMatchObject({ status: "COMPENSATED", reason: "ordering is down" });
    expect(calls).toEqual(["placeSyncOrder", "reserveStock", "confirmOrder", "releaseStock", "rejectOrder"]);
    expect((await sagas.get(input.orderId)).steps.map((s) => `${s.kind}:${s.name}:${s.status}`)).toEqual([
      "step:ordering.create:DONE",
      "step:inventory.reserve:DONE",
      "step:ordering.confirm:FAILED",
      "compensation:undo inventory.reserve:DONE",
      "compensation:undo ordering.create:DONE",
    ]);
    await sagas.stop();
  });

  it("undoes only what happened: a reserve refused before it left (inventory's breaker open) is not released", async () => {
    const { ports, calls } = scripted({ reserveStock: () => new CircuitOpenError("inventory is unavailable: its circuit for ReserveStock is open") });
    const sagas = await coordinator(ports);
    const outcome = await sagas.placeOrder(order(), context);
    expect(outcome).toMatchObject({ status: "COMPENSATED" });
    expect(calls).toEqual(["placeSyncOrder", "reserveStock", "rejectOrder"]);
    await sagas.stop();
  });

  it("still releases a reserve whose outcome is unknown (the service failed while it was asked)", async () => {
    const { ports, calls } = scripted({ reserveStock: () => new UnavailableError("inventory went away mid-call") });
    const sagas = await coordinator(ports);
    expect(await sagas.placeOrder(order(), context)).toMatchObject({ status: "COMPENSATED" });
    expect(calls).toEqual(["placeSyncOrder", "reserveStock", "releaseStock", "rejectOrder"]);
    await sagas.stop();
  });

  it("leaves the saga COMPENSATING while an undo's service is down, and recovery ends it COMPENSATED once it is back", async () => {
    let orderingDown = true;
    const { ports, calls } = scripted();
    const flaky: SagaPorts = {
      ...ports,
      confirmOrder: () => Promise.reject(new UnavailableError("ordering is down")),
      rejectOrder: (orderId, reason, signal) =>
        orderingDown ? Promise.reject(new UnavailableError("ordering is down")) : ports.rejectOrder(orderId, reason, signal),
    };
    const sagas = await coordinator(flaky, { recoverAfterMs: 0 });
    const input = order();
    await expect(sagas.placeOrder(input, context)).rejects.toThrow(/still undoing "ordering.create" \(ordering is down\); recovery retries it/);
    expect((await sagas.get(input.orderId)).status).toBe("COMPENSATING");
    // Listed as open (what the console's saga list shows) until it ends.
    expect((await sagas.open(1000)).find((saga) => saga.sagaId === input.orderId)).toMatchObject({ status: "COMPENSATING", type: "place-order" });
    // A retried request is told to come back for the outcome, and starts nothing.
    await expect(sagas.placeOrder(input, context)).rejects.toBeInstanceOf(UnavailableError);

    orderingDown = false;
    await sagas.recoverOnce();
    const view = await sagas.get(input.orderId);
    expect(view.status).toBe("COMPENSATED");
    expect((await sagas.open(1000)).map((saga) => saga.sagaId)).not.toContain(input.orderId);
    expect(view.steps.filter((s) => s.kind === "compensation").map((s) => `${s.name}:${s.status}`)).toEqual([
      "undo inventory.reserve:DONE",
      "undo ordering.create:FAILED",
      "undo inventory.reserve:DONE",
      "undo ordering.create:DONE",
    ]);
    expect(calls).toEqual(["placeSyncOrder", "reserveStock", "releaseStock", "releaseStock", "rejectOrder"]);
    expect(await sagas.placeOrder(input, context)).toMatchObject({ status: "COMPENSATED", reason: "ordering is down" });
    await sagas.stop();
  }, 30_000);

  it("ends FAILED, with the reason, when a compensation is refused for good", async () => {
    const { ports } = scripted({
      confirmOrder: () => new UnavailableError("ordering is down"),
      rejectOrder: () => new RuleViolationError("order is confirmed"),
      cancelOrder: () => new RuleViolationError("order is shipped"),
    });
    const sagas = await coordinator(ports);
    const outcome = await sagas.placeOrder(order(), context);
    expect(outcome.status).toBe("FAILED");
    expect(outcome.reason).toMatch(/compensation "undo ordering.create" could not complete: order is shipped/);
    // Listed for an operator; no longer among the open ones.
    expect((await sagas.failed(200)).map((s) => s.sagaId)).toContain(outcome.sagaId);
    expect((await sagas.open(200)).map((s) => s.sagaId)).not.toContain(outcome.sagaId);
    await sagas.stop();
  }, 30_000);

  it("answers the caller's error when the first step refuses the input, and changes nothing", async () => {
    const { ports, calls } = scripted({ placeSyncOrder: () => new ValidationError([{ field: "lines[0].productId", message: "unknown product" }]) });
    const sagas = await coordinator(ports);
    await expect(sagas.placeOrder(order(), context)).rejects.toBeInstanceOf(ValidationError);
    expect(calls).toEqual(["placeSyncOrder"]);
    await sagas.stop();
  });
});

describe("the sync rename saga", () => {
  it("completes: renames in the catalog, then in ordering's copy at the catalog's new version; answers the catalog's position", async () => {
    const applied: { catalogVersion: number }[] = [];
    const { ports } = scripted();
    const sagas = await coordinator({ ...ports, applyProductRename: (input, signal) => (applied.push(input), ports.applyProductRename(input, signal)) });
    const productId = randomUUID();
    expect(await sagas.renameProduct({ productId, name: "New name" }, context)).toMatchObject({
      status: "COMPLETED",
      result: { position: { streamId: `catalog's own id for ${productId}`, version: 4 } },
    });
    expect(applied).toEqual([{ productId, name: "New name", catalogVersion: 4 }]);
    await sagas.stop();
  });

  it("restores the catalog's name when ordering cannot apply the rename", async () => {
    const renames: { name: string; expectedVersion: number }[] = [];
    const { ports, calls } = scripted({ applyProductRename: () => new UnavailableError("ordering is down") });
    const recording: SagaPorts = { ...ports, renameProduct: (input, signal) => (renames.push(input), ports.renameProduct(input, signal)) };
    const sagas = await coordinator(recording);
    const outcome = await sagas.renameProduct({ productId: randomUUID(), name: "New name" }, context);
    expect(outcome).toMatchObject({ status: "COMPENSATED", reason: "ordering is down" });
    expect(renames).toEqual([
      { name: "New name", expectedVersion: 3, productId: expect.any(String) },
      { name: "Old name", expectedVersion: 4, productId: expect.any(String) },
    ]);
    expect(calls.filter((c) => c === "applyProductRename")).toHaveLength(1);
    await sagas.stop();
  });

  it("refuses a stale If-Match version without changing anything", async () => {
    const { ports, calls } = scripted({ renameProduct: () => new ConcurrencyError("product-x", 2) });
    const sagas = await coordinator(ports);
    await expect(sagas.renameProduct({ productId: randomUUID(), name: "New", expectedVersion: 2 }, context)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(calls).toEqual(["readProduct", "renameProduct"]);
    await sagas.stop();
  });
});

describe("recovery of sagas a dead coordinator left open", () => {
  it("compensates a saga whose step's outcome is unknown, and completes one whose steps all finished", async () => {
    const log = createSagaLog(client, keyspace);
    const unfinished = order();
    const dead = "a-dead-coordinator";
    await log.start(unfinished.orderId, "place-order", { ...unfinished, context }, dead);
    await log.step(unfinished.orderId, dead, 1, "ordering.create", "step", "STARTED");
    await log.step(unfinished.orderId, dead, 1, "ordering.create", "step", "DONE", { output: { total: { amount: 1, currency: "EUR" } } });
    await log.step(unfinished.orderId, dead, 2, "inventory.reserve", "step", "STARTED");
    const finished = order();
    await log.start(finished.orderId, "place-order", { ...finished, context }, dead);
    for (const [seq, name] of ["ordering.create", "inventory.reserve", "ordering.confirm"].entries()) {
      await log.step(finished.orderId, dead, seq + 1, name, "step", "DONE", { output: null });
    }

    const { ports, calls } = scripted();
    const sagas = await coordinator(ports, { recoverAfterMs: 0 });
    // A pass runs at start; this one makes sure it has (a claim keeps two passes from both recovering).
    await sagas.recoverOnce();
    expect((await sagas.get(unfinished.orderId)).status).toBe("COMPENSATED");
    expect((await sagas.get(finished.orderId)).status).toBe("COMPLETED");
    expect(calls).toEqual(["releaseStock", "rejectOrder"]);
    await sagas.stop();
  });

  it("compensates the step after the last one logged DONE: its call may have been under way (no STARTED record is written)", async () => {
    const log = createSagaLog(client, keyspace);
    const dead = "a-dead-coordinator";
    const started = order();
    await log.start(started.orderId, "place-order", { ...started, context }, dead);
    const reserving = order();
    await log.start(reserving.orderId, "place-order", { ...reserving, context }, dead);
    await log.step(reserving.orderId, dead, 1, "ordering.create", "step", "DONE", { output: { total: { amount: 1, currency: "EUR" } } });

    const { ports, calls } = scripted();
    const sagas = await coordinator(ports, { recoverAfterMs: 0 });
    await sagas.recoverOnce();
    expect((await sagas.get(started.orderId)).status).toBe("COMPENSATED");
    expect((await sagas.get(reserving.orderId)).status).toBe("COMPENSATED");
    // Nothing logged: only the first step may have run. Step 1 done: the reserve may have run too.
    expect(calls.toSorted()).toEqual(["rejectOrder", "rejectOrder", "releaseStock"]);
    // Its undo records come after the seq the possibly-run step would have logged (2), not on it.
    const undone = await sagas.get(reserving.orderId);
    expect(undone.steps.map((s) => s.name)).toEqual(["ordering.create", "undo inventory.reserve", "undo ordering.create"]);
    expect((await log.load(reserving.orderId)).steps.map((s) => s.seq)).toEqual([1, 3, 4]);
    await sagas.stop();
  });

  it("never lets a slow original owner and a recovering coordinator both drive a saga: the one taken over stops", async () => {
    // The original coordinator's reserve call hangs past the recovery threshold (stepTimeout 1 s).
    let releaseReserve: () => void = () => {};
    const slow = scripted();
    const hanging: SagaPorts = {
      ...slow.ports,
      reserveStock: () => new Promise((resolve) => (releaseReserve = () => resolve({ reserved: true, reason: "" }))),
    };
    const original = await coordinator(hanging, { stepTimeoutMs: 30_000 });
    const placed = order();
    const running = original.placeOrder(placed, context).then(
      (outcome) => ({ outcome }),
      (error: unknown) => ({ error }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A retry meanwhile hears "not yet" (a 503 at the edge, which frees its Idempotency-Key), not an answer.
    await expect(original.placeOrder(placed, context)).rejects.toBeInstanceOf(UnavailableError);

    // Another gateway finds the saga without a heartbeat, claims it and compensates it.
    const recovering = scripted();
    const rescuer = await coordinator(recovering.ports, { recoverAfterMs: 200 });
    await rescuer.recoverOnce();
    expect((await rescuer.get(placed.orderId)).status).toBe("COMPENSATED");
    expect(recovering.calls).toEqual(["releaseStock", "rejectOrder"]);

    // The original's call returns at last: it may not log it, confirm the order, or end the saga.
    releaseReserve();
    const result = await running;
    expect("error" in result && (result.error as Error).name).toBe("SagaTakenOverError");
    expect(slow.calls).toEqual(["placeSyncOrder"]);
    const saga = await rescuer.get(placed.orderId);
    expect(saga.status).toBe("COMPENSATED");
    expect(saga.steps.filter((s) => s.name === "inventory.reserve")).toEqual([]);
    await original.stop();
    await rescuer.stop();
  });
});
