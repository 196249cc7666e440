import { randomUUID } from "node:crypto";
import { InventoryCommandServiceClient, InventoryQueryServiceClient, ReservationStatus, type StockLevel } from "@bazaar/contracts/inventory/v1";
import type { EventEnvelope } from "@bazaar/core";
import { connectCassandra, createCassandraEventStore } from "@bazaar/event-store";
import { connectNats, createEventPublisher, decodeEnvelope, ensureStream } from "@bazaar/messaging";
import { connectElasticsearch, verifyProjection } from "@bazaar/projections";
import { callUnary } from "@bazaar/runtime";
import { stockLevelProjection } from "@bazaar/inventory/projections";
import { contextTopology } from "@bazaar/service-kit";
import { stack, uniqueName, waitFor } from "@bazaar/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContextAlone, type ContextAlone } from "./contexts.js";
import { asGateway } from "./grpcClients.js";

/**
 * The built inventory service as a real process on the real stack, in a namespace of its own:
 * its gRPC APIs, its stock levels read model, and its choreography with ordering's events (which
 * this test publishes itself, as ordering would).
 */
const namespace = uniqueName("t").replace(/_/g, "").slice(0, 20);
const keyspace = `inventory_${namespace}`;
const inventoryTopology = contextTopology("inventory", namespace);
const orderingTopology = contextTopology("ordering", namespace);
const TIMEOUT = { timeoutMs: 10_000 };

let inventory: ContextAlone;
let commands: InventoryCommandServiceClient;
let queries: InventoryQueryServiceClient;
let nats: NatsConnection;

beforeAll(async () => {
  inventory = await startContextAlone("inventory", namespace);
  commands = new InventoryCommandServiceClient(inventory.address, ...asGateway);
  queries = new InventoryQueryServiceClient(inventory.address, ...asGateway);
  nats = await connectNats({ ...stack.nats, name: "inventory-e2e" });
});

afterAll(async () => {
  commands?.close();
  queries?.close();
  await nats?.close();
  await inventory?.stopCleanly();
});

const restock = (productId: string, quantity: number) => callUnary(commands.restock.bind(commands), { productId, quantity }, TIMEOUT);
const reserve = (orderId: string, lines: { productId: string; quantity: number }[]) => callUnary(commands.reserve.bind(commands), { orderId, lines }, TIMEOUT);
const release = (orderId: string) => callUnary(commands.release.bind(commands), { orderId }, TIMEOUT);
const stockLevel = async (productId: string): Promise<StockLevel | undefined> =>
  (await callUnary(queries.getStockLevel.bind(queries), { productId }, TIMEOUT)).stock;

/** Waits until the read model shows the stock level (at least at `version`). */
const waitForLevel = (productId: string, expected: Omit<StockLevel, "productId" | "version">) =>
  waitFor(`stock level of ${productId} = ${JSON.stringify(expected)}`, async () => {
    const level = await stockLevel(productId);
    return level && level.onHand === expected.onHand && level.reserved === expected.reserved && level.available === expected.available ? level : undefined;
  });

/** The events the namespaced INVENTORY stream holds for one order's reservation stream. */
const publishedFor = async (orderId: string): Promise<EventEnvelope[]> => {
  const subject = `${namespace}.inventory.events.reservation-${orderId}.>`;
  const consumer = await jetstream(nats).consumers.get(inventoryTopology.stream.name, { filter_subjects: [subject] });
  const pending = (await consumer.info()).num_pending;
  if (pending === 0) return [];
  const events: EventEnvelope[] = [];
  for await (const msg of await consumer.fetch({ max_messages: pending, expires: 2000 })) events.push(decodeEnvelope(msg.headers, msg.data));
  return events;
};

const waitForPublished = (orderId: string, type: string) =>
  waitFor(
    `${type} for order ${orderId} in ${inventoryTopology.stream.name}`,
    async () => {
      const events = await publishedFor(orderId);
      return events.some((e) => e.type === type) ? events : undefined;
    },
    { timeoutMs: 20_000 },
  );

/** Publishes an ordering event into the namespaced ORDERING stream, as the ordering service would. */
const publishOrderEvent = async (type: string, orderId: string, version: number, data: Record<string, unknown>) => {
  await ensureStream(await jetstreamManager(nats), orderingTopology.stream);
  const event: EventEnvelope = {
    eventId: randomUUID(),
    type,
    streamId: `order-${orderId}`,
    version,
    recordedAt: new Date(),
    data: { orderId, ...data },
    metadata: { causationId: randomUUID(), correlationId: randomUUID(), actor: "e2e" },
  };
  await createEventPublisher(jetstream(nats), orderingTopology.subjectFor).publish([event]);
};

const orderLines = (productId: string, quantity: number) => [{ productId, quantity, productName: "Blue mug", unitPrice: { amount: 1299, currency: "EUR" } }];

/** A new product with `onHand` units restocked; its id. */
const restockedProduct = async (onHand: number) => {
  const productId = randomUUID();
  await restock(productId, onHand);
  return productId;
};

/** Publishes a new order of `quantity` units of one product, as ordering would place it; its id. */
const placeOrder = async (productId: string, quantity: number, flow: "ORDER_FLOW_ASYNC" | "ORDER_FLOW_SYNC" = "ORDER_FLOW_ASYNC") => {
  const orderId = randomUUID();
  await publishOrderEvent("ordering.OrderPlaced.v1", orderId, 1, { customerId: randomUUID(), lines: orderLines(productId, quantity), flow });
  return orderId;
};

describe("inventory over gRPC", () => {
  it("restocks and serves the stock level from the read model; zeros for a product never restocked", async () => {
    const productId = randomUUID();
    expect(await stockLevel(productId)).toEqual({ productId, onHand: 0, reserved: 0, available: 0, version: 0 });

    const { position } = await restock(productId, 7);
    expect(position).toEqual({ streamId: `stock-${productId}`, version: 1 });
    const level = await waitForLevel(productId, { onHand: 7, reserved: 0, available: 7 });
    expect(level.version).toBe(1);
  });

  it("refuses bad input with INVALID_ARGUMENT naming the field", async () => {
    // callUnary turns INVALID_ARGUMENT (and only it) back into a ValidationError with the server's field violations.
    await expect(restock(randomUUID(), 0)).rejects.toMatchObject({ violations: [{ field: "quantity" }] });
    await expect(restock("not-a-uuid", 1)).rejects.toMatchObject({ violations: [{ field: "productId" }] });
    await expect(
      reserve(randomUUID(), [
        { productId: randomUUID(), quantity: 1 },
        { productId: randomUUID(), quantity: 0 },
      ]),
    ).rejects.toMatchObject({
      violations: [{ field: "lines[1].quantity" }],
    });
    await expect(reserve(randomUUID(), [])).rejects.toMatchObject({ violations: [{ field: "lines" }] });
    await expect(release("nope")).rejects.toMatchObject({ violations: [{ field: "orderId" }] });
    await expect(stockLevel("nope")).rejects.toMatchObject({ violations: [{ field: "productId" }] });
  });

  it("reserves all lines or none, idempotently, and releases", async () => {
    const productId = randomUUID();
    await restock(productId, 5);
    const orderId = randomUUID();

    const reserved = await reserve(orderId, [{ productId, quantity: 2 }]);
    expect(reserved).toMatchObject({ status: ReservationStatus.RESERVATION_STATUS_RESERVED, reason: "", shortProductIds: [] });
    expect(await reserve(orderId, [{ productId, quantity: 2 }])).toEqual(reserved);
    await waitForLevel(productId, { onHand: 5, reserved: 2, available: 3 });

    const short = await reserve(randomUUID(), [{ productId, quantity: 4 }]);
    expect(short).toMatchObject({ status: ReservationStatus.RESERVATION_STATUS_REJECTED, reason: "insufficient stock", shortProductIds: [productId] });

    const released = await release(orderId);
    expect(released.status).toBe(ReservationStatus.RESERVATION_STATUS_RELEASED);
    expect(await release(orderId)).toEqual(released);
    await waitForLevel(productId, { onHand: 5, reserved: 0, available: 5 });
    expect((await release(randomUUID())).status).toBe(ReservationStatus.RESERVATION_STATUS_UNSPECIFIED);
  });
});

describe("choreography with ordering's events", () => {
  it("reserves stock for an order placed asynchronously, and releases it when the order is cancelled", async () => {
    const productId = await restockedProduct(3);
    const orderId = await placeOrder(productId, 2);
    const afterPlaced = await waitForPublished(orderId, "inventory.StockReserved.v1");
    expect(afterPlaced.find((e) => e.type === "inventory.StockReserved.v1")?.data).toEqual({ orderId, lines: [{ productId, quantity: 2 }] });
    await waitForLevel(productId, { onHand: 3, reserved: 2, available: 1 });

    await publishOrderEvent("ordering.OrderCancelled.v1", orderId, 2, { reason: "changed my mind" });
    const afterCancelled = await waitForPublished(orderId, "inventory.StockReleased.v1");
    expect(afterCancelled.filter((e) => e.type === "inventory.StockReleased.v1")).toHaveLength(1);
    await waitForLevel(productId, { onHand: 3, reserved: 0, available: 3 });
  });

  it("rejects an order short of stock, holding nothing", async () => {
    const productId = await restockedProduct(1);
    const orderId = await placeOrder(productId, 2);
    const events = await waitForPublished(orderId, "inventory.StockReservationRejected.v1");
    expect(events.find((e) => e.type === "inventory.StockReservationRejected.v1")?.data).toMatchObject({
      orderId,
      reason: "insufficient stock",
      shortProductIds: [productId],
    });
    expect(events.some((e) => e.type === "inventory.StockReserved.v1")).toBe(false);
    // Too little stock means no hold was ever taken: the stock item stream is still at its restock.
    expect((await waitForLevel(productId, { onHand: 1, reserved: 0, available: 1 })).version).toBe(1);
  });

  it("leaves orders placed with the sync flow to the gateway's saga", async () => {
    const productId = await restockedProduct(2);
    const syncOrder = await placeOrder(productId, 1, "ORDER_FLOW_SYNC");
    const asyncOrder = await placeOrder(productId, 1);
    // The async order published after it is handled; the sync one left no trace.
    await waitForPublished(asyncOrder, "inventory.StockReserved.v1");
    expect(await publishedFor(syncOrder)).toEqual([]);
    await waitForLevel(productId, { onHand: 2, reserved: 1, available: 1 });
  });
});

describe("the stock levels read model", () => {
  it("equals the fold of the event store once quiet (invariant 4)", async () => {
    const cql = await connectCassandra(stack.cassandra);
    const es = connectElasticsearch(stack.elasticsearch);
    try {
      const projection = inventoryTopology.bind(stockLevelProjection).projection;
      const report = await waitFor("stock levels verified clean", async () => {
        const result = await verifyProjection({ es, eventStore: createCassandraEventStore(cql, keyspace), projection });
        return result.mismatches.length === 0 ? result : undefined;
      });
      // Every product the tests above restocked has its document.
      expect(report.checked).toBeGreaterThanOrEqual(5);
    } finally {
      await es.close();
      await cql.shutdown();
    }
  });
});
