import { randomUUID } from "node:crypto";
import { ValidationError } from "@bazaar/core";
import { CatalogCommandServiceClient } from "@bazaar/contracts/catalog/v1";
import { InventoryCommandServiceClient, InventoryQueryServiceClient } from "@bazaar/contracts/inventory/v1";
import { OrderFlow, OrderingCommandServiceClient, OrderingQueryServiceClient, OrderStatus, type Order } from "@bazaar/contracts/ordering/v1";
import { callUnary } from "@bazaar/runtime";
import { uniqueName, waitFor } from "@bazaar/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContexts, type Contexts } from "./contexts.js";
import { asGateway } from "./grpcClients.js";

/**
 * Asynchronous data sharing across contexts, on real processes: the order choreography
 * (ordering ⇄ inventory), ordering's product replica and renames reaching order history, and
 * order details on the hybrid path with the catalog stopped and restarted.
 */
let contexts: Contexts;
let catalog: CatalogCommandServiceClient;
let inventory: InventoryCommandServiceClient;
let stock: InventoryQueryServiceClient;
let ordering: OrderingCommandServiceClient;
let orders: OrderingQueryServiceClient;
const timeoutMs = 10_000;
const customerId = randomUUID();

beforeAll(async () => {
  // A short details cache, so the test sees the catalog's absence soon after stopping it.
  contexts = await startContexts(["catalog", "inventory", "ordering"], { ordering: { PRODUCT_DETAILS_CACHE_TTL_MS: "300" } });
  catalog = new CatalogCommandServiceClient(contexts.address("catalog"), ...asGateway);
  inventory = new InventoryCommandServiceClient(contexts.address("inventory"), ...asGateway);
  stock = new InventoryQueryServiceClient(contexts.address("inventory"), ...asGateway);
  ordering = new OrderingCommandServiceClient(contexts.address("ordering"), ...asGateway);
  orders = new OrderingQueryServiceClient(contexts.address("ordering"), ...asGateway);
});

afterAll(async () => {
  for (const client of [catalog, inventory, stock, ordering, orders]) client?.close();
  await contexts?.stopAll();
  await contexts?.cleanup();
});

const newProduct = async (name: string, onHand: number) => {
  const { productId } = await callUnary(
    catalog.createProduct.bind(catalog),
    {
      productId: randomUUID(),
      sku: uniqueName("SKU"),
      name,
      description: "",
      category: "kitchen",
      price: { amount: 1299, currency: "EUR" },
      attributes: {},
    },
    { timeoutMs },
  );
  if (onHand > 0) await callUnary(inventory.restock.bind(inventory), { productId, quantity: onHand }, { timeoutMs });
  return productId;
};

/** Places an order once ordering's replica knows the products (it learns them from catalog events). */
const place = (lines: { productId: string; quantity: number }[], orderId = randomUUID()) =>
  waitFor("order placed", async () => {
    try {
      return await callUnary(ordering.placeOrder.bind(ordering), { orderId, customerId, lines, flow: OrderFlow.ORDER_FLOW_ASYNC }, { timeoutMs });
    } catch (error) {
      if (error instanceof ValidationError && /unknown product/.test(error.message)) return undefined;
      throw error;
    }
  });

const orderIn = (orderId: string, status: OrderStatus, extra: (order: Order) => boolean = () => true) =>
  waitFor(
    `order ${orderId} in status ${status}`,
    async () => {
      const { order } = await callUnary(orders.getOrder.bind(orders), { orderId }, { timeoutMs }).catch(() => ({ order: undefined }));
      return order && order.status === status && extra(order) ? order : undefined;
    },
    { timeoutMs: 30_000 },
  );

const available = async (productId: string) => (await callUnary(stock.getStockLevel.bind(stock), { productId }, { timeoutMs })).stock?.available;

describe("the order choreography", () => {
  it("confirms an order with stock, rejects one without, and cancelling releases the stock", async () => {
    const mug = await newProduct("Choreo mug", 5);
    const confirmed = await place([{ productId: mug, quantity: 2 }]);
    const rejected = await place([{ productId: mug, quantity: 10 }]);
    await orderIn(confirmed.order!.orderId, OrderStatus.ORDER_STATUS_CONFIRMED);
    const refused = await orderIn(rejected.order!.orderId, OrderStatus.ORDER_STATUS_REJECTED);
    expect(refused.reason).toMatch(/insufficient|stock/i);
    await waitFor("2 reserved", async () => ((await available(mug)) === 3 ? true : undefined));

    await callUnary(ordering.cancelOrder.bind(ordering), { orderId: confirmed.order!.orderId, reason: "changed mind" }, { timeoutMs });
    await orderIn(confirmed.order!.orderId, OrderStatus.ORDER_STATUS_CANCELLED);
    await waitFor("stock released", async () => ((await available(mug)) === 5 ? true : undefined), { timeoutMs: 30_000 });
  });

  it("keeps orders PENDING while inventory is down, and settles them when it is back — nothing lost", async () => {
    const plate = await newProduct("Choreo plate", 3);
    await contexts.stop("inventory");
    const waiting = await Promise.all([place([{ productId: plate, quantity: 1 }]), place([{ productId: plate, quantity: 5 }])]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const { order } of waiting)
      expect((await callUnary(orders.getOrder.bind(orders), { orderId: order!.orderId }, { timeoutMs })).order?.status).toBe(OrderStatus.ORDER_STATUS_PENDING);
    await contexts.start("inventory");
    await orderIn(waiting[0]!.order!.orderId, OrderStatus.ORDER_STATUS_CONFIRMED);
    await orderIn(waiting[1]!.order!.orderId, OrderStatus.ORDER_STATUS_REJECTED);
  });
});

describe("ordering's product replica", () => {
  it("carries a catalog rename into every order of the product and the customer's history", async () => {
    const bowl = await newProduct("Plain bowl", 10);
    const placed = await Promise.all([1, 2, 3].map(() => place([{ productId: bowl, quantity: 1 }])));
    await callUnary(catalog.renameProduct.bind(catalog), { productId: bowl, name: "Fancy bowl", expectedVersion: 0 }, { timeoutMs });
    for (const { order } of placed) {
      await waitFor(
        "renamed in the order view",
        async () => {
          const { order: view } = await callUnary(orders.getOrder.bind(orders), { orderId: order!.orderId }, { timeoutMs });
          return view?.lines[0]?.productName === "Fancy bowl" ? true : undefined;
        },
        { timeoutMs: 30_000 },
      );
    }
    const history = await waitFor("history shows the new name", async () => {
      const result = await callUnary(orders.listCustomerOrders.bind(orders), { customerId, limit: 100, cursor: "" }, { timeoutMs });
      const bowls = result.orders.filter((o) => o.lines.some((l) => l.productId === bowl));
      return bowls.length === 3 && bowls.every((o) => o.lines[0]?.productName === "Fancy bowl") ? bowls : undefined;
    });
    expect(history).toHaveLength(3);
  });
});

describe("order details on the hybrid path", () => {
  it("adds catalog details; with the catalog down it answers from the local copy, degraded, and recovers", async () => {
    const cup = await newProduct("Hybrid cup", 10);
    const { order } = await place([{ productId: cup, quantity: 1 }]);
    const orderId = order!.orderId;
    await orderIn(orderId, OrderStatus.ORDER_STATUS_CONFIRMED);
    const details = () => callUnary(orders.getOrderDetails.bind(orders), { orderId }, { timeoutMs });

    const healthy = await waitFor("details from the catalog", async () => {
      const answer = await details();
      return answer.products[cup] ? answer : undefined;
    });
    expect(healthy).toMatchObject({ degraded: false, products: { [cup]: { name: "Hybrid cup", sku: expect.any(String) } } });

    await contexts.stop("catalog");
    await new Promise((resolve) => setTimeout(resolve, 400));
    const timings: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      const answer = await details();
      timings.push(performance.now() - started);
      expect(answer.degraded).toBe(true);
      expect(answer.order?.lines[0]?.productName).toBe("Hybrid cup");
    }
    const lastAnswer = await details();
    expect(lastAnswer.degradedReason).toMatch(/breaker is open/);
    // Once open, the breaker answers without waiting for the catalog's timeout.
    const open = timings.slice(10).sort((a, b) => a - b);
    const p99 = open[Math.ceil(open.length * 0.99) - 1]!;
    console.log(`hybrid fallback with the breaker open: p50 ${open[Math.floor(open.length / 2)]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    expect(p99).toBeLessThan(300);

    await contexts.start("catalog");
    await waitFor(
      "breaker closed again",
      async () => {
        const answer = await details();
        return answer.degraded ? undefined : answer;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  });
});

describe("read models after the run", () => {
  it("equal the fold of their event stores (bazaar projections verify)", async () => {
    await contexts.quiescence();
    for (const name of ["catalog-product-search", "inventory-stock-level", "ordering-order-view"]) {
      const { code, output } = await contexts.cli(["projections", "verify", `${contexts.namespace}-${name}`]);
      expect(output).toMatch(/clean — [1-9]\d* documents/);
      expect(code).toBe(0);
    }
  });
});
