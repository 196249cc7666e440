import { randomUUID } from "node:crypto";
import { ConcurrencyError, fold, ValidationError, type EventEnvelope, type EventMetadata } from "@bazaar/core";
import {
  connectCassandra,
  createCassandraEventStore,
  createCassandraSnapshotStore,
  ensureEventSourcingSchema,
  ensureKeyspace,
  type EventStore,
} from "@bazaar/event-store";
import { foldDocument } from "@bazaar/projections";
import { stack, uniqueName } from "@bazaar/testing";
import type cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStockItemCommandHandler, createOrderReservationCommandHandler, type InventoryWriteSide } from "./application/commandHandlers.js";
import { createInventory, type Inventory } from "./application/reservations.js";
import { stockItemDecider, availableOf, reservedOf, type StockItemState } from "./domain/stockItemDecider.js";
import { decodeStockItemEvent } from "./events/inventoryIntegrationEvents.js";
import { reservationStreamId, stockStreamId } from "./domain/streams.js";
import { stockLevelProjection } from "./projections/stockLevelProjection.js";
import { createOrderStockReaction } from "./reactions/orderStockReaction.js";

/** The inventory's use cases on the real Cassandra (own keyspace), in process. */
const keyspace = uniqueName("inventory_test");
let client: cassandra.Client;
let eventStore: EventStore;
let write: InventoryWriteSide;
let inventory: Inventory;

const metadata = (): EventMetadata => ({ causationId: randomUUID(), correlationId: randomUUID(), actor: "test" });

beforeAll(async () => {
  client = await connectCassandra(stack.cassandra);
  await ensureKeyspace(client, keyspace, 1);
  await ensureEventSourcingSchema(client, keyspace);
  eventStore = createCassandraEventStore(client, keyspace);
  write = {
    eventStore,
    append: (streamId, expectedVersion, events) => eventStore.append(streamId, expectedVersion, events),
    snapshots: createCassandraSnapshotStore(client, keyspace),
    snapshotEvery: 50,
    onSnapshotError: () => undefined,
  };
  inventory = createInventory(write);
});

afterAll(async () => {
  await client?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client?.shutdown();
});

const stockEvents = (productId: string) => eventStore.readStream(stockStreamId(productId));
const stockOf = async (productId: string): Promise<StockItemState> => fold(stockItemDecider, (await stockEvents(productId)).map(decodeStockItemEvent));
const orderEvents = async (orderId: string) => (await eventStore.readStream(reservationStreamId(orderId))).map((e) => e.type);

/** The read model's document is the fold of the stream, so it must agree with the decider's state. */
const expectLevels = async (productId: string, onHand: number, reserved: number) => {
  const state = await stockOf(productId);
  expect({ onHand: state.onHand, reserved: reservedOf(state), available: availableOf(state) }).toEqual({ onHand, reserved, available: onHand - reserved });
  const doc = foldDocument(stockLevelProjection, await stockEvents(productId));
  expect(doc).toMatchObject({ productId, onHand, reserved, available: onHand - reserved });
};

describe("inventory reservations (Cassandra)", () => {
  it("a hot product with 10 in stock and 20 concurrent single-unit orders from two processes: exactly 10 reserved, 10 rejected, never negative", async () => {
    const productId = randomUUID();
    await inventory.restock(productId, 10, metadata());
    const orders = Array.from({ length: 20 }, () => randomUUID());
    // Two inventories, as two processes: their holds race for the stock item's next version.
    const other = createInventory(write);
    const outcomes = await Promise.all(orders.map((orderId, i) => (i % 2 ? other : inventory).reserve(orderId, [{ productId, quantity: 1 }], metadata())));

    const statuses = outcomes.map((o) => o.status);
    expect(statuses.filter((s) => s === "reserved")).toHaveLength(10);
    expect(statuses.filter((s) => s === "rejected")).toHaveLength(10);
    for (const outcome of outcomes.filter((o) => o.status === "rejected")) {
      expect(outcome).toMatchObject({ reason: "insufficient stock", shortProductIds: [productId] });
    }
    await expectLevels(productId, 10, 10);

    // Never negative at any point of the stream, and one hold per reserved order.
    let state = stockItemDecider.initialState();
    for (const event of (await stockEvents(productId)).map(decodeStockItemEvent)) {
      state = stockItemDecider.evolve(state, event);
      expect(availableOf(state)).toBeGreaterThanOrEqual(0);
    }
    const reservedOrders = orders.filter((_, i) => outcomes[i]!.status === "reserved").sort();
    expect(Object.keys(state.reservations).sort()).toEqual(reservedOrders);
  });

  it("holds a hot item's stock one order at a time within a process: 30 concurrent orders, not one lost race", async () => {
    let conflicts = 0;
    const counting: InventoryWriteSide = {
      ...write,
      append: async (streamId, expectedVersion, events) => {
        try {
          return await write.append(streamId, expectedVersion, events);
        } catch (error) {
          if (error instanceof ConcurrencyError) conflicts += 1;
          throw error;
        }
      },
    };
    const inOneProcess = createInventory(counting);
    const productId = randomUUID();
    await inOneProcess.restock(productId, 100, metadata());
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => inOneProcess.reserve(randomUUID(), [{ productId, quantity: 1 }], metadata())));
    expect(outcomes.map((o) => o.status)).toEqual(Array.from({ length: 30 }, () => "reserved"));
    expect(conflicts).toBe(0);
    await expectLevels(productId, 100, 30);
  });

  it("rejects a two-line order whose second line is short, and gives the first line's stock back", async () => {
    const [plenty, scarce] = [randomUUID(), randomUUID()].sort() as [string, string];
    await inventory.restock(plenty, 5, metadata());
    await inventory.restock(scarce, 1, metadata());
    const orderId = randomUUID();

    const outcome = await inventory.reserve(
      orderId,
      [
        { productId: plenty, quantity: 3 },
        { productId: scarce, quantity: 2 },
      ],
      metadata(),
    );

    expect(outcome).toMatchObject({ status: "rejected", reason: "insufficient stock", shortProductIds: [scarce] });
    expect((await stockEvents(plenty)).map((e) => e.type)).toEqual([
      "inventory.StockAdded.v1",
      "inventory.StockItemReserved.v1",
      "inventory.StockItemReleased.v1",
    ]);
    await expectLevels(plenty, 5, 0);
    await expectLevels(scarce, 1, 0);
    expect(await orderEvents(orderId)).toEqual(["inventory.StockReservationRequested.v1", "inventory.StockReservationRejected.v1"]);
  });

  it("names every short product of a rejected order", async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()].sort() as [string, string, string];
    await inventory.restock(b, 1, metadata());
    const outcome = await inventory.reserve(
      randomUUID(),
      [
        { productId: a, quantity: 1 },
        { productId: b, quantity: 1 },
        { productId: c, quantity: 1 },
      ],
      metadata(),
    );
    expect(outcome).toMatchObject({ status: "rejected", shortProductIds: [a, c] });
    await expectLevels(b, 1, 0);
  });

  it("reserves twice with the same answer and one set of events", async () => {
    const productId = randomUUID();
    await inventory.restock(productId, 4, metadata());
    const orderId = randomUUID();
    const lines = [{ productId, quantity: 2 }];

    const first = await inventory.reserve(orderId, lines, metadata());
    const second = await inventory.reserve(orderId, lines, metadata());

    expect(first).toMatchObject({ status: "reserved", position: { streamId: reservationStreamId(orderId), version: 2 } });
    expect(second).toEqual(first);
    expect(await orderEvents(orderId)).toEqual(["inventory.StockReservationRequested.v1", "inventory.StockReserved.v1"]);
    expect(await stockEvents(productId)).toHaveLength(2);
    await expectLevels(productId, 4, 2);
  });

  it("releases twice with one StockReleased, and a released order is never re-reserved", async () => {
    const productId = randomUUID();
    await inventory.restock(productId, 4, metadata());
    const orderId = randomUUID();
    await inventory.reserve(orderId, [{ productId, quantity: 3 }], metadata());

    const first = await inventory.release(orderId, metadata());
    const second = await inventory.release(orderId, metadata());
    const again = await inventory.reserve(orderId, [{ productId, quantity: 3 }], metadata());

    expect(first).toMatchObject({ status: "released", position: { version: 3 } });
    expect(second).toEqual(first);
    expect(again).toEqual(first);
    expect(await orderEvents(orderId)).toEqual(["inventory.StockReservationRequested.v1", "inventory.StockReserved.v1", "inventory.StockReleased.v1"]);
    await expectLevels(productId, 4, 0);
  });

  it("releases nothing for an unknown or rejected order", async () => {
    const unknown = randomUUID();
    expect(await inventory.release(unknown, metadata())).toMatchObject({ status: "none", position: { version: 0 } });
    expect(await orderEvents(unknown)).toEqual([]);

    const rejectedOrder = randomUUID();
    await inventory.reserve(rejectedOrder, [{ productId: randomUUID(), quantity: 1 }], metadata());
    expect(await inventory.release(rejectedOrder, metadata())).toMatchObject({ status: "rejected" });
    expect(await orderEvents(rejectedOrder)).toHaveLength(2);
  });

  it("converges when a reservation that died half-way is retried, or released instead", async () => {
    const [p1, p2] = [randomUUID(), randomUUID()].sort() as [string, string];
    await inventory.restock(p1, 2, metadata());
    await inventory.restock(p2, 2, metadata());
    const stock = createStockItemCommandHandler(write);
    const orders = createOrderReservationCommandHandler(write);
    const lines = [
      { productId: p1, quantity: 1 },
      { productId: p2, quantity: 1 },
    ];
    /** What a process killed after the first hold leaves behind: the request and one hold. */
    const halfWay = async (orderId: string) => {
      await orders(reservationStreamId(orderId), { type: "RequestReservation", data: { orderId, lines } }, { metadata: metadata() });
      await stock(stockStreamId(p1), { type: "ReserveStock", data: { productId: p1, orderId, quantity: 1 } }, { metadata: metadata() });
    };

    const retried = randomUUID();
    await halfWay(retried);
    expect(await inventory.reserve(retried, lines, metadata())).toMatchObject({ status: "reserved" });
    await expectLevels(p1, 2, 1);
    await expectLevels(p2, 2, 1);

    const abandoned = randomUUID();
    await halfWay(abandoned);
    await expectLevels(p1, 2, 2);
    expect(await inventory.release(abandoned, metadata())).toMatchObject({ status: "released" });
    await expectLevels(p1, 2, 1);
    await expectLevels(p2, 2, 1);
    expect(await inventory.reserve(abandoned, lines, metadata())).toMatchObject({ status: "released" });
  });

  it("refuses bad input, naming the field, and stores nothing", async () => {
    const orderId = randomUUID();
    await expect(
      inventory.reserve(
        orderId,
        [
          { productId: "nope", quantity: 1 },
          { productId: randomUUID(), quantity: -1 },
        ],
        metadata(),
      ),
    ).rejects.toMatchObject({
      violations: [{ field: "lines[0].productId" }, { field: "lines[1].quantity" }],
    });
    await expect(inventory.reserve("not-an-order", [{ productId: randomUUID(), quantity: 1 }], metadata())).rejects.toBeInstanceOf(ValidationError);
    await expect(inventory.restock(randomUUID(), 0, metadata())).rejects.toMatchObject({ violations: [{ field: "quantity" }] });
    expect(await orderEvents(orderId)).toEqual([]);
  });

  it("reacts to ordering's events: async orders reserved, sync ones left to the saga, cancellations released", async () => {
    const productId = randomUUID();
    await inventory.restock(productId, 3, metadata());
    const reaction = createOrderStockReaction(inventory);
    const envelope = (type: string, data: unknown, version: number): EventEnvelope => ({
      eventId: randomUUID(),
      type,
      streamId: `order-${(data as { orderId: string }).orderId}`,
      version,
      recordedAt: new Date(),
      data,
      metadata: { causationId: "c", correlationId: "corr-1", actor: "customer" },
    });
    const placed = (orderId: string, flow: string) =>
      envelope(
        "ordering.OrderPlaced.v1",
        { orderId, customerId: randomUUID(), lines: [{ productId, quantity: 2, productName: "Mug", unitPrice: { amount: 1299, currency: "EUR" } }], flow },
        1,
      );

    const asyncOrder = randomUUID();
    await reaction.handle(placed(asyncOrder, "ORDER_FLOW_ASYNC"));
    await reaction.handle(placed(asyncOrder, "ORDER_FLOW_ASYNC")); // redelivered
    expect(await orderEvents(asyncOrder)).toEqual(["inventory.StockReservationRequested.v1", "inventory.StockReserved.v1"]);
    const [reserved] = (await eventStore.readStream(reservationStreamId(asyncOrder))).slice(1);
    expect(reserved?.metadata).toMatchObject({ correlationId: "corr-1", actor: "customer" });

    const syncOrder = randomUUID();
    await reaction.handle(placed(syncOrder, "ORDER_FLOW_SYNC"));
    expect(await orderEvents(syncOrder)).toEqual([]);

    // Only ordering's contract is read: the domain's spelling of the flow does not decode, and changes nothing.
    const domainSpelling = randomUUID();
    await expect(reaction.handle(placed(domainSpelling, "async"))).rejects.toMatchObject({ violations: [expect.objectContaining({ field: "flow" })] });
    expect(await orderEvents(domainSpelling)).toEqual([]);

    // int64 as proto3 JSON may also write it: a decimal string.
    const protoJsonOrder = randomUUID();
    await reaction.handle(envelope("ordering.OrderPlaced.v1", { orderId: protoJsonOrder, lines: [{ productId, quantity: "1" }], flow: "ORDER_FLOW_ASYNC" }, 1));
    expect(await orderEvents(protoJsonOrder)).toEqual(["inventory.StockReservationRequested.v1", "inventory.StockReserved.v1"]);
    await inventory.release(protoJsonOrder, metadata());

    await reaction.handle(envelope("ordering.OrderCancelled.v1", { orderId: asyncOrder, reason: "changed my mind" }, 2));
    expect(await orderEvents(asyncOrder)).toContain("inventory.StockReleased.v1");
    await expectLevels(productId, 3, 0);

    await expect(
      reaction.handle(envelope("ordering.OrderPlaced.v1", { orderId: randomUUID(), lines: "?", flow: "ORDER_FLOW_ASYNC" }, 1)),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
