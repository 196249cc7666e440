import { methodIdempotency } from "@bazaar/contracts/descriptors";
import {
  InventoryCommandServiceService,
  InventoryQueryServiceService,
  ReservationStatus,
  type GetStockLevelResponse,
  type ReserveResponse,
  type RestockResponse,
} from "@bazaar/contracts/inventory/v1";
import { NotFoundError, TimeoutError, UnavailableError } from "@bazaar/core";
import {
  CHANNEL_OPTIONS,
  CircuitOpenError,
  createResilience,
  createUnaryClient,
  resilienceMiddleware,
  type Resilience,
  type ResilienceSettings,
} from "@bazaar/runtime";
import { status, type ServerUnaryCall, type sendUnaryData } from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGrpcTestServer } from "../../../test/fakes/grpcTestServer.js";

/** What the server does with the next call of a method: fail with a status, answer, or hold the call until released. */
type Step = { fail: status } | { answer: object } | { hold: true };

/** A real in-process inventory (commands and queries on one port) answering from a script per method, recording each call. */
const script: Record<string, Step[]> = {};
const seen: Record<string, { deadline: number; cancelled: boolean }[]> = {};
const held: (() => void)[] = [];
const DEFAULT_ANSWERS: Record<string, object> = {
  restock: {} satisfies Partial<RestockResponse>,
  reserve: { status: ReservationStatus.RESERVATION_STATUS_RESERVED, reason: "", shortProductIds: [] } satisfies ReserveResponse,
  release: {},
  getStockLevel: { stale: false } satisfies GetStockLevelResponse,
};

const handler = (method: string) => (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<object>) => {
  const record = { deadline: Number(call.getDeadline()), cancelled: false };
  call.on("cancelled", () => (record.cancelled = true));
  (seen[method] ??= []).push(record);
  const step = script[method]?.shift() ?? { answer: DEFAULT_ANSWERS[method]! };
  if ("fail" in step) callback({ code: step.fail, details: `${method} scripted to fail` });
  else if ("answer" in step) callback(null, step.answer);
  else held.push(() => callback(null, DEFAULT_ANSWERS[method]!));
};

let server: Awaited<ReturnType<typeof startGrpcTestServer>>;
let address: string;
beforeAll(async () => {
  server = await startGrpcTestServer([
    [InventoryCommandServiceService, { restock: handler("restock"), reserve: handler("reserve"), release: handler("release") }],
    [InventoryQueryServiceService, { getStockLevel: handler("getStockLevel") }],
  ]);
  address = server.address;
});
afterAll(() => server.close());

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const release of held.splice(0)) release();
  for (const key of Object.keys(script)) delete script[key];
  for (const key of Object.keys(seen)) delete seen[key];
  for (const thing of opened.splice(0)) thing.close();
});

/** The gateway's clients of inventory as main.ts builds them: the factory, the contracts' idempotency levels, the resilience middleware. */
const inventory = (settings: Partial<ResilienceSettings> = {}, budget: { timeoutMs?: number; remainingMs?: () => number } = {}) => {
  const resilience: Resilience = createResilience({
    registry: new Registry(),
    metricsPrefix: "bazaar_gateway",
    settings: { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, backoffBaseMs: 1, backoffMaxMs: 2, maxRetries: 2, ...settings },
  });
  const common = {
    service: "inventory",
    address,
    channelOptions: CHANNEL_OPTIONS,
    timeoutMs: budget.timeoutMs ?? 5_000,
    idempotencyOf: methodIdempotency,
    middleware: resilienceMiddleware(resilience),
    ...(budget.remainingMs && { remainingMs: budget.remainingMs }),
  };
  const commands = createUnaryClient(InventoryCommandServiceService, common);
  const queries = createUnaryClient(InventoryQueryServiceService, common);
  opened.push(commands, queries, resilience);
  return { commands, queries, resilience };
};

const calls = (method: string) => seen[method]?.length ?? 0;
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe("retries, as the protos declare", () => {
  it("retries a method declared IDEMPOTENT (Reserve) after UNAVAILABLE, and one declared NO_SIDE_EFFECTS (GetStockLevel)", async () => {
    const { commands, queries } = inventory();
    script.reserve = [{ fail: status.UNAVAILABLE }, { fail: status.UNAVAILABLE }];
    script.getStockLevel = [{ fail: status.DEADLINE_EXCEEDED }];
    await expect(commands.reserve({ orderId: "o-1", lines: [] })).resolves.toMatchObject({ status: ReservationStatus.RESERVATION_STATUS_RESERVED });
    expect(calls("reserve")).toBe(3);
    await expect(queries.getStockLevel({ productId: "p-1" })).resolves.toMatchObject({ stale: false });
    expect(calls("getStockLevel")).toBe(2);
  });

  it("never retries a method without an idempotency level (Restock): the first failure is the answer", async () => {
    const { commands } = inventory();
    script.restock = [{ fail: status.UNAVAILABLE }];
    await expect(commands.restock({ productId: "p-1", quantity: 1 })).rejects.toBeInstanceOf(UnavailableError);
    expect(calls("restock")).toBe(1);
  });

  it("never retries a client error, idempotent method or not", async () => {
    const { queries } = inventory();
    script.getStockLevel = [{ fail: status.NOT_FOUND }];
    await expect(queries.getStockLevel({ productId: "p-1" })).rejects.toBeInstanceOf(NotFoundError);
    expect(calls("getStockLevel")).toBe(1);
  });
});

describe("deadline", () => {
  it("sends the smaller of the client's timeout and what is left of the caller's budget, taken anew per attempt", async () => {
    let left = 300;
    const { commands } = inventory({}, { timeoutMs: 5_000, remainingMs: () => left });
    const before = Date.now();
    await commands.restock({ productId: "p-1", quantity: 1 });
    expect(seen.restock![0]!.deadline - before).toBeGreaterThanOrEqual(250);
    expect(seen.restock![0]!.deadline - before).toBeLessThanOrEqual(400);

    left = Number.POSITIVE_INFINITY;
    const later = Date.now();
    await commands.restock({ productId: "p-1", quantity: 1 });
    expect(seen.restock![1]!.deadline - later).toBeGreaterThanOrEqual(4_900);
    expect(seen.restock![1]!.deadline - later).toBeLessThanOrEqual(5_100);
  });

  it("cancels the call when the caller's signal aborts (a saga step's time is up): the server hears it, the caller gets the reason, no retry starts", async () => {
    const { commands } = inventory();
    script.reserve = [{ hold: true }];
    const controller = new AbortController();
    const pending = commands.reserve({ orderId: "o-2", lines: [] }, undefined, controller.signal);
    await until(() => calls("reserve") === 1);
    controller.abort(new TimeoutError("inventory.reserve did not finish within 50 ms"));
    await expect(pending).rejects.toBeInstanceOf(TimeoutError);
    await until(() => seen.reserve![0]!.cancelled);
    expect(seen.reserve![0]!.cancelled).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls("reserve")).toBe(1);
  });

  it("starts nothing for a signal that has already aborted", async () => {
    const { commands } = inventory();
    await expect(commands.release({ orderId: "o-3" }, undefined, AbortSignal.abort(new TimeoutError("spent")))).rejects.toBeInstanceOf(TimeoutError);
    expect(calls("release")).toBe(0);
  });
});

describe("breaker", () => {
  it("once open fails fast with CircuitOpenError, an UnavailableError (the REST edge's 503 + Retry-After), without reaching the server", async () => {
    const { commands, resilience } = inventory({ volumeThreshold: 2 });
    script.restock = [{ fail: status.UNAVAILABLE }, { fail: status.UNAVAILABLE }];
    for (let i = 0; i < 2; i++) await expect(commands.restock({ productId: "p-1", quantity: 1 })).rejects.toBeInstanceOf(UnavailableError);
    expect(resilience.states().breakers).toContainEqual(expect.objectContaining({ service: "inventory", method: "restock", state: "open" }));

    const refused = await commands.restock({ productId: "p-1", quantity: 1 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(calls("restock")).toBe(2);
    expect(refused).toBeInstanceOf(UnavailableError);
    expect((refused as UnavailableError).message).toMatch(/inventory is unavailable: its circuit for restock is open/);
  });
});

describe("bulkhead lanes", () => {
  it("queries, commands and reads waiting for a consistency token's version each have their own bulkhead", async () => {
    const { commands, queries, resilience } = inventory({ bulkheadLimit: 1 });
    script.getStockLevel = [{ hold: true }, { hold: true }];
    const plainRead = queries.getStockLevel({ productId: "p-1" });
    const waitingRead = queries.getStockLevel({ productId: "p-1", consistency: { minVersion: 3, waitMs: 1_000, positions: [] } });
    await until(() => calls("getStockLevel") === 2);
    await expect(queries.getStockLevel({ productId: "p-1" })).rejects.toMatchObject({ message: expect.stringMatching(/bulkhead full/) });
    await expect(commands.restock({ productId: "p-1", quantity: 1 })).resolves.toBeDefined();
    expect(resilience.states().bulkheads).toEqual(
      expect.arrayContaining([
        { service: "inventory/queries", inFlight: 1, limit: 1 },
        { service: "inventory/consistent-reads", inFlight: 1, limit: 1 },
        { service: "inventory/commands", inFlight: 0, limit: 1 },
      ]),
    );
    for (const release of held.splice(0)) release();
    await expect(Promise.all([plainRead, waitingRead])).resolves.toHaveLength(2);
  });
});
