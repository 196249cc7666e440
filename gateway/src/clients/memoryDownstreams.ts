import { AlreadyExistsError, ConcurrencyError, NotFoundError, RuleViolationError } from "@bazaar/core";
import { ProductStatus, type Product } from "@bazaar/contracts/catalog/v1";
import type { Customer } from "@bazaar/contracts/customer/v1";
import { OrderStatus, type Order } from "@bazaar/contracts/ordering/v1";
import type { SagaCoordinator, SagaOutcome, SagaView } from "../sagas/sagaCoordinator.js";
import type { CatalogClient } from "./catalogClient.js";
import type { CustomerClient } from "./customerClient.js";
import type { InventoryClient } from "./inventoryClient.js";
import type { OrderingClient } from "./orderingClient.js";
import type { Readiness } from "./readiness.js";

/** One call that would have changed something downstream. */
export interface RecordedCommand {
  method: string;
  request: unknown;
}

/**
 * The four contexts and the saga coordinator in memory: enough to test the HTTP edge alone
 * (validation, mapping, headers). Every command is recorded, so a test can prove that a bad
 * request changed nothing; `failNext` makes the next call throw a typed error.
 */
export const createMemoryDownstreams = () => {
  const commands: RecordedCommand[] = [];
  const queries: { method: string; request: unknown }[] = [];
  const products = new Map<string, Product>();
  const history = new Map<string, { version: number; type: string; recordedAt: string; data: string; actor: string }[]>();
  const stock = new Map<string, { onHand: number; reserved: number; version: number }>();
  const customers = new Map<string, Customer>();
  const orders = new Map<string, Order>();
  const sagas = new Map<string, SagaView>();
  let failure: Error | undefined;
  const state = {
    /** Whether reads answer `stale`. */
    stale: false,
    /** How the hybrid read answers: degraded with this reason, or not. */
    degradedReason: undefined as string | undefined,
    sagaOutcome: undefined as Omit<SagaOutcome, "sagaId"> | undefined,
    ready: true,
  };

  const fail = () => {
    if (!failure) return;
    const error = failure;
    failure = undefined;
    throw error;
  };
  const command = (method: string, request: unknown) => {
    fail();
    commands.push({ method, request });
  };
  const query = (method: string, request: unknown) => {
    fail();
    queries.push({ method, request });
  };
  const productOf = (productId: string, expectedVersion = 0): Product => {
    const product = products.get(productId);
    if (!product) throw new NotFoundError(`product ${productId} not found`);
    if (expectedVersion > 0 && expectedVersion !== product.version) throw new ConcurrencyError(`product-${productId}`, expectedVersion);
    if (product.status === ProductStatus.PRODUCT_STATUS_DISCONTINUED) throw new RuleViolationError(`product ${productId} is discontinued`);
    return product;
  };
  const change = (product: Product, patch: Partial<Product>, type: string) => {
    const next = { ...product, ...patch, version: product.version + 1 };
    products.set(product.productId, next);
    history.get(product.productId)?.push({ version: next.version, type, recordedAt: new Date().toISOString(), data: JSON.stringify(patch), actor: "anonymous" });
    return { position: { streamId: `product-${product.productId}`, version: next.version } };
  };

  const catalog: CatalogClient = {
    async createProduct(request) {
      command("createProduct", request);
      if ([...products.values()].some((p) => p.sku.toUpperCase() === request.sku.toUpperCase())) throw new AlreadyExistsError(`SKU ${request.sku} is taken`);
      const { productId, sku, name, description, category, price, attributes } = request;
      products.set(productId, { productId, sku, name, description, category, price, attributes, status: ProductStatus.PRODUCT_STATUS_ACTIVE, version: 1 });
      history.set(productId, [{ version: 1, type: "catalog.ProductCreated.v1", recordedAt: new Date().toISOString(), data: JSON.stringify(request), actor: "anonymous" }]);
      return { productId, position: { streamId: `product-${productId}`, version: 1 } };
    },
    async renameProduct(request) {
      command("renameProduct", request);
      const product = productOf(request.productId, request.expectedVersion);
      return { ...change(product, { name: request.name }, "catalog.ProductRenamed.v1"), previousName: product.name };
    },
    async changeProductPrice(request) {
      command("changeProductPrice", request);
      return change(productOf(request.productId, request.expectedVersion), { price: request.price }, "catalog.ProductPriceChanged.v1");
    },
    async discontinueProduct(request) {
      command("discontinueProduct", request);
      return change(productOf(request.productId, request.expectedVersion), { status: ProductStatus.PRODUCT_STATUS_DISCONTINUED }, "catalog.ProductDiscontinued.v1");
    },
    async getProduct(request) {
      query("getProduct", request);
      const product = products.get(request.productId);
      if (!product) throw new NotFoundError(`product ${request.productId} not found`);
      return { product, stale: state.stale };
    },
    async searchProducts(request) {
      query("searchProducts", request);
      const matching = [...products.values()].filter((p) => p.name.toLowerCase().includes(request.query.toLowerCase()));
      // Its own cursor: the offset of the next page (what a client sees is sealed by the gateway).
      const offset = request.cursor === "" ? 0 : Number(request.cursor.replace("offset:", ""));
      const items = matching.slice(offset, offset + (request.limit || matching.length));
      const nextCursor = offset + items.length < matching.length ? `offset:${offset + items.length}` : "";
      return { items, total: matching.length, categories: [{ key: "kitchen", count: matching.length }], statuses: [], priceRanges: [{ key: "*-10", from: 0, to: 1000, count: 0 }], nextCursor };
    },
    async getProductHistory(request) {
      query("getProductHistory", request);
      const entries = history.get(request.productId);
      if (!entries) throw new NotFoundError(`product ${request.productId} not found`);
      // Its own cursor: the index of the next page's first entry.
      const from = request.cursor === "" ? 0 : Number(request.cursor);
      const page = entries.slice(from, from + (request.limit || entries.length));
      return { entries: page, nextCursor: from + page.length < entries.length ? String(from + page.length) : "" };
    },
    async getProductAsOf(request) {
      query("getProductAsOf", request);
      const product = products.get(request.productId);
      if (!product || new Date(request.asOf).getTime() < Date.parse("2000-01-01T00:00:00Z")) throw new NotFoundError(`product ${request.productId} did not exist then`);
      return { product: { ...product, version: 1 } };
    },
    close() {},
  };

  const inventory: InventoryClient = {
    async restock(request) {
      command("restock", request);
      const level = stock.get(request.productId) ?? { onHand: 0, reserved: 0, version: 0 };
      const next = { ...level, onHand: level.onHand + request.quantity, version: level.version + 1 };
      stock.set(request.productId, next);
      return { position: { streamId: `stock-${request.productId}`, version: next.version } };
    },
    async getStockLevel(request) {
      query("getStockLevel", request);
      const level = stock.get(request.productId) ?? { onHand: 0, reserved: 0, version: 0 };
      return { stock: { productId: request.productId, ...level, available: level.onHand - level.reserved }, stale: state.stale };
    },
    close() {},
  };

  const customerClient: CustomerClient = {
    async registerCustomer(request) {
      command("registerCustomer", request);
      if ([...customers.values()].some((c) => c.email === request.email.toLowerCase())) throw new AlreadyExistsError(`email ${request.email} is taken`);
      customers.set(request.customerId, { customerId: request.customerId, name: request.name, email: request.email.toLowerCase(), address: request.address, version: 1 });
      return { customerId: request.customerId, position: { streamId: `customer-${request.customerId}`, version: 1 } };
    },
    async changeCustomerAddress(request) {
      command("changeCustomerAddress", request);
      const customer = customers.get(request.customerId);
      if (!customer) throw new NotFoundError(`customer ${request.customerId} not found`);
      if (request.expectedVersion > 0 && request.expectedVersion !== customer.version) throw new ConcurrencyError(`customer-${request.customerId}`, request.expectedVersion);
      customers.set(request.customerId, { ...customer, address: request.address, version: customer.version + 1 });
      return { position: { streamId: `customer-${request.customerId}`, version: customer.version + 1 } };
    },
    async getCustomer(request) {
      query("getCustomer", request);
      const customer = customers.get(request.customerId);
      if (!customer) throw new NotFoundError(`customer ${request.customerId} not found`);
      return { customer, stale: state.stale };
    },
    close() {},
  };

  const orderOf = (orderId: string) => {
    const order = orders.get(orderId);
    if (!order) throw new NotFoundError(`order ${orderId} not found`);
    return order;
  };

  const ordering: OrderingClient = {
    async placeOrder(request) {
      command("placeOrder", request);
      const lines = request.lines.map((line) => {
        const product = products.get(line.productId);
        if (!product) throw new RuleViolationError(`unknown product ${line.productId}`);
        return { productId: line.productId, quantity: line.quantity, productName: product.name, unitPrice: product.price };
      });
      const order: Order = {
        orderId: request.orderId,
        customerId: request.customerId,
        lines,
        status: OrderStatus.ORDER_STATUS_PENDING,
        flow: request.flow,
        total: { amount: lines.reduce((sum, line) => sum + line.quantity * (line.unitPrice?.amount ?? 0), 0), currency: "EUR" },
        reason: "",
        placedAt: new Date().toISOString(),
        version: 1,
      };
      orders.set(order.orderId, order);
      return { order, position: { streamId: `order-${order.orderId}`, version: 1 } };
    },
    async cancelOrder(request) {
      command("cancelOrder", request);
      const order = orderOf(request.orderId);
      if (order.status === OrderStatus.ORDER_STATUS_REJECTED) throw new RuleViolationError(`order ${request.orderId} was rejected`);
      orders.set(order.orderId, { ...order, status: OrderStatus.ORDER_STATUS_CANCELLED, reason: request.reason, version: order.version + 1 });
      return { position: { streamId: `order-${order.orderId}`, version: order.version + 1 } };
    },
    async getOrder(request) {
      query("getOrder", request);
      return { order: orderOf(request.orderId), stale: state.stale };
    },
    async getOrderDetails(request) {
      query("getOrderDetails", request);
      const order = orderOf(request.orderId);
      const degraded = state.degradedReason !== undefined;
      const productsById = degraded
        ? {}
        : Object.fromEntries(
            order.lines.flatMap((line) => {
              const product = products.get(line.productId);
              return product
                ? [[line.productId, { productId: product.productId, sku: product.sku, name: product.name, description: product.description, category: product.category, price: product.price, attributes: product.attributes, status: "ACTIVE" }]]
                : [];
            }),
          );
      return { order, products: productsById, degraded, degradedReason: state.degradedReason ?? "", stale: state.stale };
    },
    async listCustomerOrders(request) {
      query("listCustomerOrders", request);
      const mine = [...orders.values()].filter((order) => order.customerId === request.customerId);
      return { orders: mine.slice(0, request.limit), total: mine.length, nextCursor: mine.length > request.limit ? "bmV4dA" : "" };
    },
    close() {},
  };

  const now = () => new Date().toISOString();
  const runSaga = (sagaId: string, type: string): SagaOutcome => {
    const outcome = { sagaId, ...(state.sagaOutcome ?? { status: "COMPLETED" as const }) };
    sagas.set(sagaId, { sagaId, type, status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}), startedAt: now(), updatedAt: now(), steps: [] });
    return outcome;
  };
  const sagaCoordinator: SagaCoordinator = {
    async renameProduct(input) {
      command("saga.renameProduct", input);
      const outcome = runSaga(`rename-${input.productId}`, "rename-product");
      if (outcome.status !== "COMPLETED") return outcome;
      const product = productOf(input.productId, input.expectedVersion);
      return { ...outcome, result: change(product, { name: input.name }, "catalog.ProductRenamed.v1") };
    },
    async placeOrder(input) {
      command("saga.placeOrder", input);
      return runSaga(input.orderId, "place-order");
    },
    async get(sagaId) {
      fail();
      const saga = sagas.get(sagaId);
      if (!saga) throw new NotFoundError(`saga ${sagaId} not found`);
      return saga;
    },
    async open(limit) {
      fail();
      return [...sagas.values()].filter((saga) => saga.status === "RUNNING" || saga.status === "COMPENSATING").slice(0, limit);
    },
    async failed(limit) {
      fail();
      return [...sagas.values()].filter((saga) => saga.status === "FAILED").slice(0, limit);
    },
  };

  const readiness: Readiness = {
    check: async () => ({
      ready: state.ready,
      services: { "catalog-command": "SERVING", "catalog-query": state.ready ? "SERVING" : "UNREACHABLE" },
    }),
    close() {},
  };

  return {
    catalog,
    inventory,
    customers: customerClient,
    ordering,
    sagas: sagaCoordinator,
    readiness,
    commands,
    queries,
    state,
    /** The next downstream call throws this error. */
    failNext(error: Error) {
      failure = error;
    },
    reset() {
      commands.length = 0;
      queries.length = 0;
      failure = undefined;
      state.stale = false;
      state.degradedReason = undefined;
      state.sagaOutcome = undefined;
      state.ready = true;
    },
  };
};

export type MemoryDownstreams = ReturnType<typeof createMemoryDownstreams>;

