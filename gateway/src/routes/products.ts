import { randomUUID } from "node:crypto";
import { ProductSort, ProductStatus, type Product } from "@bazaar/contracts/catalog/v1";
import { callMetadata } from "@bazaar/runtime";
import { Router, type Request } from "express";
import { z } from "zod";
import type { CatalogClient } from "../clients/catalogClient.js";
import { validate } from "../http/validate.js";

const money = z.strictObject({
  amount: z.number().int().positive().max(100_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR"),
});

const createProductBody = z.strictObject({
  sku: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(""),
  category: z.string().trim().min(1).max(100),
  price: money,
  attributes: z.record(z.string().min(1).max(64), z.string().max(500)).default({}),
});

const productId = z.uuid();

const minorUnits = z.coerce.number().int().min(0).max(100_000_000_000);

const SORTS = {
  relevance: ProductSort.PRODUCT_SORT_RELEVANCE,
  name: ProductSort.PRODUCT_SORT_NAME,
  "price-asc": ProductSort.PRODUCT_SORT_PRICE_ASC,
  "price-desc": ProductSort.PRODUCT_SORT_PRICE_DESC,
  newest: ProductSort.PRODUCT_SORT_NEWEST,
} as const;

const STATUSES = { ACTIVE: ProductStatus.PRODUCT_STATUS_ACTIVE, DISCONTINUED: ProductStatus.PRODUCT_STATUS_DISCONTINUED } as const;

const searchQuery = z.strictObject({
  q: z.string().max(500).default(""),
  category: z.string().max(100).optional(),
  minPrice: minorUnits.optional(),
  maxPrice: minorUnits.optional(),
  status: z.enum(["ACTIVE", "DISCONTINUED"]).optional(),
  sort: z.enum(["relevance", "name", "price-asc", "price-desc", "newest"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(1000).optional(),
});

const statusName: Record<ProductStatus, string> = {
  [ProductStatus.PRODUCT_STATUS_UNSPECIFIED]: "UNKNOWN",
  [ProductStatus.PRODUCT_STATUS_ACTIVE]: "ACTIVE",
  [ProductStatus.PRODUCT_STATUS_DISCONTINUED]: "DISCONTINUED",
  [ProductStatus.UNRECOGNIZED]: "UNKNOWN",
};

/** The product resource as the REST API shows it. */
const toResource = (product: Product) => ({
  id: product.productId,
  sku: product.sku,
  name: product.name,
  description: product.description,
  category: product.category,
  price: product.price,
  attributes: product.attributes,
  status: statusName[product.status],
  version: product.version,
});

const metadataOf = (req: Request) =>
  callMetadata({
    correlationId: req.header("x-correlation-id") ?? randomUUID(),
    actor: "anonymous",
    traceparent: req.header("traceparent"),
  });

export const productRoutes = (catalog: CatalogClient): Router => {
  const router = Router();

  router.post("/", async (req, res) => {
    const body = validate(createProductBody, req.body);
    const created = await catalog.createProduct({ productId: randomUUID(), ...body }, metadataOf(req));
    res
      .status(201)
      .location(`/v1/products/${created.productId}`)
      .json({ id: created.productId, version: created.position?.version ?? 0 });
  });

  router.get("/", async (req, res) => {
    const query = validate(searchQuery, req.query);
    const result = await catalog.searchProducts(
      {
        query: query.q,
        category: query.category ?? "",
        minPrice: query.minPrice ?? 0,
        maxPrice: query.maxPrice ?? 0,
        status: query.status ? STATUSES[query.status] : ProductStatus.PRODUCT_STATUS_UNSPECIFIED,
        sort: query.sort ? SORTS[query.sort] : ProductSort.PRODUCT_SORT_UNSPECIFIED,
        limit: query.limit,
        cursor: query.cursor ?? "",
      },
      metadataOf(req),
    );
    res.json({
      items: result.items.map(toResource),
      total: result.total,
      facets: {
        categories: result.categories,
        statuses: result.statuses,
        priceRanges: result.priceRanges.map(({ key, from, to, count }) => ({ key, ...(from ? { from } : {}), ...(to ? { to } : {}), count })),
      },
      nextCursor: result.nextCursor || null,
    });
  });

  router.get("/:id", async (req, res) => {
    const id = validate(productId, req.params.id, "id");
    const { product } = await catalog.getProduct(id, metadataOf(req));
    if (!product) throw new Error("catalog answered GetProduct without a product");
    res.json(toResource(product));
  });

  return router;
};
