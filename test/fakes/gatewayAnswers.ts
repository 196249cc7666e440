import { ProductStatus, type Product } from "@bazaar/contracts/catalog/v1";
import type { Customer } from "@bazaar/contracts/customer/v1";
import { OrderFlow, OrderStatus, type Order } from "@bazaar/contracts/ordering/v1";
import type { SagaView } from "../../gateway/src/sagas/sagaCoordinator.js";

/** Sample answers for scripted downstreams: plain data a test overrides where it matters. */

/** A product's catalog data, named alike in the catalog's answers and the REST resources: what passes through unchanged. */
export const PRODUCT_DATA = {
  sku: "SKU-1",
  name: "Blue mug",
  description: "",
  category: "kitchen",
  price: { amount: 1299, currency: "EUR" },
  attributes: {},
};

export const aProduct = (overrides: Partial<Product> = {}): Product => ({
  productId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
  ...PRODUCT_DATA,
  status: ProductStatus.PRODUCT_STATUS_ACTIVE,
  version: 1,
  ...overrides,
});

export const aCustomer = (overrides: Partial<Customer> = {}): Customer => ({
  customerId: "3f2504e0-4f89-41d3-9a0c-0305e82c3302",
  name: "Ada",
  email: "ada@example.com",
  address: { line1: "Main St 1", line2: "", postalCode: "10115", city: "Berlin", country: "DE" },
  version: 1,
  ...overrides,
});

export const anOrder = (overrides: Partial<Order> = {}): Order => ({
  orderId: "3f2504e0-4f89-41d3-9a0c-0305e82c3303",
  customerId: "3f2504e0-4f89-41d3-9a0c-0305e82c3302",
  lines: [{ productId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", quantity: 2, productName: "Blue mug", unitPrice: { amount: 1299, currency: "EUR" } }],
  status: OrderStatus.ORDER_STATUS_PENDING,
  flow: OrderFlow.ORDER_FLOW_ASYNC,
  total: { amount: 2598, currency: "EUR" },
  reason: "",
  placedAt: "2026-01-01T00:00:00.000Z",
  version: 1,
  ...overrides,
});

export const aSaga = (overrides: Partial<SagaView> = {}): SagaView => ({
  sagaId: "rename-3f2504e0-4f89-41d3-9a0c-0305e82c3301",
  type: "rename-product",
  status: "COMPLETED",
  startedAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:01.000Z",
  steps: [],
  ...overrides,
});

/** A position as a service returns it: the stream id is the service's own, opaque to the gateway. */
export const aPosition = (version: number, streamId = "opaque-stream-1") => ({ position: { streamId, version } });
