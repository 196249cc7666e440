import { randomUUID } from "node:crypto";
import { AlreadyExistsError, ConcurrencyError, NotFoundError, RuleViolationError, ValidationError } from "@bazaar/core";
import {
  CatalogCommandServiceClient,
  CatalogHistoryServiceClient,
  CatalogQueryServiceClient,
  ProductSort,
  ProductStatus,
  type Product,
} from "@bazaar/contracts/catalog/v1";
import { callMetadata, callUnary, DEV_SERVICE_AUTH_SECRET, serviceClientOptions } from "@bazaar/runtime";
import { uniqueName, waitFor } from "@bazaar/testing";
import { credentials, status, type ChannelOptions, type ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type Platform } from "./platform.js";
import { asGateway } from "./grpcClients.js";

/** The catalog's gRPC API and rules against the real stack: the running catalog process. */
let platform: Platform;
let commands: CatalogCommandServiceClient;
let queries: CatalogQueryServiceClient;

beforeAll(async () => {
  platform = await startPlatform();
  commands = new CatalogCommandServiceClient(platform.catalogAddress, ...asGateway);
  queries = new CatalogQueryServiceClient(platform.catalogAddress, ...asGateway);
});

afterAll(async () => {
  commands?.close();
  queries?.close();
  await platform?.stop();
  await platform?.cleanup();
});

const timeoutMs = 10_000;
const create = (overrides: { sku?: string; name?: string; category?: string; amount?: number } = {}) =>
  callUnary(
    commands.createProduct.bind(commands),
    {
      productId: randomUUID(),
      sku: overrides.sku ?? uniqueName("SKU"),
      name: overrides.name ?? "Blue mug",
      description: "Stoneware",
      category: overrides.category ?? "kitchen",
      price: { amount: overrides.amount ?? 1299, currency: "EUR" },
      attributes: {},
    },
    { timeoutMs },
  );

const productAt = (productId: string, version: number): Promise<Product> =>
  waitFor(`product ${productId} at version ${version}`, async () => {
    const { product } = await callUnary(queries.getProduct.bind(queries), { productId }, { timeoutMs });
    return product && product.version >= version ? product : undefined;
  });

describe("catalog rules over gRPC", () => {
  it("keeps SKUs unique across products, case-insensitively, also under a race", async () => {
    const sku = uniqueName("SKU");
    await create({ sku });
    await expect(create({ sku: sku.toLowerCase() })).rejects.toBeInstanceOf(AlreadyExistsError);

    const raced = uniqueName("RACE");
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => create({ sku: raced })));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "rejected").every((o) => (o as PromiseRejectedResult).reason instanceof AlreadyExistsError)).toBe(true);
  });

  it("renames with optimistic concurrency and shows the new name in the read model", async () => {
    const { productId } = await create({ name: "Plain mug" });
    const renamed = await callUnary(commands.renameProduct.bind(commands), { productId, name: "Fancy mug", expectedVersion: 1 }, { timeoutMs });
    expect(renamed.position?.version).toBe(2);
    await expect(callUnary(commands.renameProduct.bind(commands), { productId, name: "Other", expectedVersion: 1 }, { timeoutMs })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect((await productAt(productId, 2)).name).toBe("Fancy mug");
  });

  it("fixes the currency, refuses changes after discontinuation, and answers unknown products with NOT_FOUND", async () => {
    const { productId } = await create();
    await expect(
      callUnary(commands.changeProductPrice.bind(commands), { productId, price: { amount: 999, currency: "USD" }, expectedVersion: 0 }, { timeoutMs }),
    ).rejects.toBeInstanceOf(RuleViolationError);
    await expect(
      callUnary(commands.changeProductPrice.bind(commands), { productId, price: { amount: -5, currency: "EUR" }, expectedVersion: 0 }, { timeoutMs }),
    ).rejects.toBeInstanceOf(ValidationError);
    await callUnary(commands.changeProductPrice.bind(commands), { productId, price: { amount: 999, currency: "EUR" }, expectedVersion: 0 }, { timeoutMs });
    await callUnary(commands.discontinueProduct.bind(commands), { productId, expectedVersion: 0 }, { timeoutMs });
    await expect(callUnary(commands.renameProduct.bind(commands), { productId, name: "Too late", expectedVersion: 0 }, { timeoutMs })).rejects.toBeInstanceOf(
      RuleViolationError,
    );
    const product = await productAt(productId, 3);
    expect(product).toMatchObject({ status: ProductStatus.PRODUCT_STATUS_DISCONTINUED, price: { amount: 999, currency: "EUR" } });
    await expect(
      callUnary(commands.renameProduct.bind(commands), { productId: randomUUID(), name: "Ghost", expectedVersion: 0 }, { timeoutMs }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("searches with filters, facets, sorting and cursor pagination", async () => {
    const word = uniqueName("facet").replace(/_/g, "");
    const category = uniqueName("cat");
    const prices = [500, 1500, 3000, 7000, 12000, 800, 2600];
    const created = await Promise.all(prices.map((amount, i) => create({ name: `${word} item ${i}`, category: i < 5 ? category : "other", amount })));
    await Promise.all(created.map(({ productId }) => productAt(productId, 1)));
    const search = (request: Partial<Parameters<typeof queries.searchProducts>[0]>) =>
      callUnary(
        queries.searchProducts.bind(queries),
        { query: word, limit: 20, category: "", minPrice: 0, maxPrice: 0, status: 0, sort: 0, cursor: "", ...request },
        { timeoutMs },
      );
    const all = await waitFor("all searchable", async () => {
      const result = await search({});
      return result.total === prices.length ? result : undefined;
    });
    expect(all.categories).toEqual(
      expect.arrayContaining([
        { key: category, count: 5 },
        { key: "other", count: 2 },
      ]),
    );
    expect(all.priceRanges.map((r) => [r.key, r.count])).toEqual([
      ["under-10", 2],
      ["10-25", 1],
      ["25-50", 2],
      ["50-100", 1],
      ["100-and-more", 1],
    ]);

    const filtered = await search({ category, minPrice: 1000, maxPrice: 8000, sort: ProductSort.PRODUCT_SORT_PRICE_ASC });
    expect(filtered.items.map((p) => p.price?.amount)).toEqual([1500, 3000, 7000]);

    const pages: string[] = [];
    let cursor = "";
    do {
      const page = await search({ limit: 3, sort: ProductSort.PRODUCT_SORT_PRICE_DESC, cursor });
      pages.push(...page.items.map((p) => `${p.price?.amount}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([...prices].sort((a, b) => b - a).map(String));
    await expect(search({ cursor: "not-a-cursor" })).rejects.toBeInstanceOf(ValidationError);
  });

  it("reads its own writes: a query presenting the command's version waits for it, bounded", async () => {
    const { productId, position } = await create({ name: "Fresh mug" });
    const fresh = await callUnary(
      queries.getProduct.bind(queries),
      { productId, consistency: { minVersion: position!.version, waitMs: 5_000, positions: [] } },
      { timeoutMs },
    );
    expect(fresh).toMatchObject({ stale: false, product: { name: "Fresh mug", version: 1 } });
    const started = Date.now();
    const future = await callUnary(queries.getProduct.bind(queries), { productId, consistency: { minVersion: 99, waitMs: 200, positions: [] } }, { timeoutMs });
    expect(future.stale).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("picks its own aggregate's position from those presented: the caller passes the positions commands answered, never a stream id of its making", async () => {
    const { productId, position } = await create({ name: "Positioned mug" });
    const other = await create({ name: "Other mug" });
    const read = (positions: { streamId: string; version: number }[], waitMs: number) =>
      callUnary(queries.getProduct.bind(queries), { productId, consistency: { minVersion: 0, waitMs, positions } }, { timeoutMs });
    expect(await read([other.position!, position!], 5_000)).toMatchObject({ stale: false, product: { name: "Positioned mug", version: 1 } });
    // A position ahead of the read model, for this product: stale after the wait; for another product only: no wait.
    const started = Date.now();
    expect((await read([{ ...position!, version: 99 }], 200)).stale).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect((await read([{ ...other.position!, version: 99 }], 5_000)).stale).toBe(false);
  });

  it("leaves the read model equal to the fold of the event store", async () => {
    const { code, output } = await platform.cli(["projections", "verify", `${platform.namespace}-catalog-product-search`]);
    expect(output).toMatch(/clean — [1-9]\d* documents/);
    expect(code).toBe(0);
  });
});

describe("service authentication", () => {
  /** Creates a product with `options`' credentials, claiming to act for "mallory": the status code. */
  const createAs = async (options: ChannelOptions, productId: string) => {
    const client = new CatalogCommandServiceClient(platform.catalogAddress, credentials.createInsecure(), options);
    const request = {
      productId,
      sku: uniqueName("SKU"),
      name: "Forged mug",
      description: "",
      category: "kitchen",
      price: { amount: 100, currency: "EUR" },
      attributes: {},
    };
    try {
      return await new Promise<number>((resolve) =>
        client.createProduct(request, callMetadata({ correlationId: randomUUID(), actor: "mallory" }), (error: ServiceError | null) =>
          resolve(error ? error.code : status.OK),
        ),
      );
    } finally {
      client.close();
    }
  };
  const historyOf = (productId: string) => {
    const history = new CatalogHistoryServiceClient(platform.catalogAddress, ...asGateway);
    return callUnary(history.getProductHistory.bind(history), { productId, limit: 0, cursor: "" }, { timeoutMs }).finally(() => history.close());
  };

  it("refuses a call without a service token, or with one signed with another secret, and stores nothing", async () => {
    for (const options of [{}, serviceClientOptions({ secret: `${DEV_SERVICE_AUTH_SECRET}-guessed`, caller: "gateway" })]) {
      const productId = randomUUID();
      expect(await createAs(options, productId)).toBe(status.UNAUTHENTICATED);
      await expect(historyOf(productId)).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it("believes the acting user from the gateway only: another service's call is recorded as that service", async () => {
    const [byGateway, byInventory] = [randomUUID(), randomUUID()];
    expect(await createAs(asGateway[1], byGateway)).toBe(status.OK);
    expect(await createAs(serviceClientOptions({ secret: DEV_SERVICE_AUTH_SECRET, caller: "inventory" }), byInventory)).toBe(status.OK);
    expect((await historyOf(byGateway)).entries.map((e) => e.actor)).toEqual(["mallory"]);
    expect((await historyOf(byInventory)).entries.map((e) => e.actor)).toEqual(["service:inventory"]);
  });
});
