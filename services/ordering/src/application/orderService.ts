import {
  forEachConcurrently,
  NotFoundError,
  RuleViolationError,
  UnavailableError,
  ValidationError,
  type EventMetadata,
  type FieldViolation,
} from "@bazaar/core";
import { retryOnConflict } from "@bazaar/runtime";
import type { OrderCommand, ReservedLine } from "../domain/orderCommands.js";
import type { OrderFlow, OrderLine } from "../domain/orderEvents.js";
import { orderStreamId } from "../domain/orderStream.js";
import type { OrderCommandHandler } from "./orderCommandHandler.js";
import type { OrdersByProduct, ProductReplica } from "./productReplica.js";

/** How long an orders-by-product entry may point at an order that does not exist yet. */
const PLACEMENT_GRACE_MS = 60_000;

/**
 * Orders renamed at once when a product's name changes (each a read, a conditional write and a
 * publication). Background work, kept to a few at a time so that it does not crowd out the
 * requests that arrive meanwhile — among them the sync rename's own saga step, which reaches this
 * process as the catalog's event starts the fan-out. 16 at once: sync rename p50 ≈ 120 ms at
 * fan-out 20 and 200; 8: ≈ 80 ms, with the orders renamed as soon as at 16; 4: ≈ 90 ms, but
 * 1 000 orders took twice as long (docs/benchmarks.md §5o).
 */
const RENAME_FAN_OUT_CONCURRENCY = 8;

/** Five attempts, as before, now with a jittered wait between them (they ran back to back). */
const ORDER_CONFLICT_RETRY = { attempts: 5, baseDelayMs: 5, maxDelayMs: 100 };

/**
 * Ordering's use cases. Placing an order resolves its lines against the local product replica
 * (name, price): no call to the catalog. A rename reaches the replica and every order of the
 * product as an OrderProductRenamed event, so the orders and all their read models carry it.
 */
export const createOrderService = (deps: { handle: OrderCommandHandler; replica: ProductReplica; ordersByProduct: OrdersByProduct; now?: () => Date }) => {
  const { handle, replica, ordersByProduct } = deps;
  const now = deps.now ?? (() => new Date());

  /** Retries a command that lost an optimistic-concurrency race (hot orders during a rename fan-out). */
  const run = (orderId: string, command: OrderCommand, metadata: EventMetadata) =>
    retryOnConflict(() => handle(orderStreamId(orderId), command, { metadata }), ORDER_CONFLICT_RETRY);

  return {
    async place(request: { orderId: string; customerId: string; lines: { productId: string; quantity: number }[]; flow: OrderFlow }, metadata: EventMetadata) {
      const placedAt = now();
      // Recorded before the replica is read: a rename that updates the replica after this read
      // will find the order here and rename it.
      await ordersByProduct.add([...new Set(request.lines.map((l) => l.productId))], request.orderId, placedAt);
      const products = await replica.get(request.lines.map((l) => l.productId));
      const unknown: FieldViolation[] = request.lines.flatMap((line, i) =>
        products.has(line.productId) ? [] : [{ field: `lines[${i}].productId`, message: `unknown product ${line.productId}` }],
      );
      if (unknown.length > 0) throw new ValidationError(unknown);
      const discontinued = request.lines.filter((line) => products.get(line.productId)?.status === "DISCONTINUED");
      if (discontinued.length > 0) throw new RuleViolationError(`discontinued products cannot be ordered: ${discontinued.map((l) => l.productId).join(", ")}`);
      const lines: OrderLine[] = request.lines.map((line) => {
        const product = products.get(line.productId)!;
        return { productId: line.productId, quantity: line.quantity, productName: product.name, unitPrice: product.price };
      });
      return run(
        request.orderId,
        { type: "PlaceOrder", data: { orderId: request.orderId, customerId: request.customerId, lines, flow: request.flow, placedAt: placedAt.toISOString() } },
        metadata,
      );
    },

    confirm: (orderId: string, reservedLines: ReservedLine[], metadata: EventMetadata) =>
      run(orderId, { type: "ConfirmOrder", data: { reservedLines } }, metadata),
    reject: (orderId: string, reason: string, metadata: EventMetadata) => run(orderId, { type: "RejectOrder", data: { reason } }, metadata),
    cancel: (orderId: string, reason: string, metadata: EventMetadata) => run(orderId, { type: "CancelOrder", data: { reason } }, metadata),

    /**
     * The sync rename saga's step: the replica (what new orders and order details read) takes
     * the catalog's new name before the rename is answered. The orders that quote the product
     * follow from the catalog's ProductRenamed event (`applyProductRename`), as in the async flow,
     * so the saga's cost does not grow with them. Keyed by the catalog version: an older rename
     * never overwrites a newer one. Resolves whether the replica's name changed.
     */
    renameInReplica: (productId: string, name: string, catalogVersion: number): Promise<boolean> => replica.renamed(productId, name, catalogVersion),

    /**
     * Applies a catalog rename (the catalog's event): to the replica, then to every order of the
     * product. Idempotent and keyed by the catalog version: an older rename never overwrites a
     * newer one. Resolves whether the replica's name changed.
     */
    async applyProductRename(productId: string, name: string, catalogVersion: number, metadata: EventMetadata): Promise<boolean> {
      const applied = await replica.renamed(productId, name, catalogVersion);
      // Each order is its own stream: they are renamed side by side, a few at a time.
      await forEachConcurrently(ordersByProduct.list(productId), RENAME_FAN_OUT_CONCURRENCY, async ({ orderId, addedAt }) => {
        try {
          await run(orderId, { type: "RenameOrderProduct", data: { productId, name, catalogVersion } }, metadata);
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          // Being placed right now (it may have read the old name): retry later. Long gone: the
          // placement failed, and the entry points nowhere.
          if (now().getTime() - addedAt.getTime() < PLACEMENT_GRACE_MS)
            throw new UnavailableError(`order ${orderId} is not placed yet; the rename will be retried`);
          await ordersByProduct.remove(productId, orderId);
        }
      });
      return applied;
    },
  };
};

export type OrderService = ReturnType<typeof createOrderService>;
