/** Where a write left a context's stream, as that context names it (its stream ids are its own). */
export interface StreamPosition {
  streamId: string;
  version: number;
}

/**
 * What the sagas call downstream: each an idempotent gRPC operation of one context. `signal` is
 * the step's: when the step's time is up the call is cancelled and no retry of it starts.
 */
export interface SagaPorts {
  /** The product's current name and version, from the catalog. */
  readProduct(productId: string, signal: AbortSignal): Promise<{ name: string; version: number }>;
  /** Renames at `expectedVersion` (ABORTED when the product moved); answers where the product's stream is now, and the name before. */
  renameProduct(
    input: { productId: string; name: string; expectedVersion: number },
    signal: AbortSignal,
  ): Promise<{ position: StreamPosition; previousName: string }>;
  applyProductRename(input: { productId: string; name: string; catalogVersion: number }, signal: AbortSignal): Promise<{ applied: boolean }>;
  placeSyncOrder(
    input: { orderId: string; customerId: string; lines: { productId: string; quantity: number }[] },
    signal: AbortSignal,
  ): Promise<{ total: { amount: number; currency: string } }>;
  reserveStock(
    input: { orderId: string; lines: { productId: string; quantity: number }[] },
    signal: AbortSignal,
  ): Promise<{ reserved: boolean; reason: string }>;
  releaseStock(orderId: string, signal: AbortSignal): Promise<void>;
  /** Answers where the order's stream is after the confirmation. */
  confirmOrder(orderId: string, reservedLines: { productId: string; quantity: number }[], signal: AbortSignal): Promise<{ position: StreamPosition }>;
  rejectOrder(orderId: string, reason: string, signal: AbortSignal): Promise<void>;
  cancelOrder(orderId: string, reason: string, signal: AbortSignal): Promise<void>;
}

/** Who a saga's calls are made for: carried downstream as gRPC metadata (correlation, causation, actor). */
export interface SagaCall {
  sagaId: string;
  correlationId: string;
  actor: string;
}

/** Ports bound to one saga's call context. */
export type SagaPortsFor = (call: SagaCall) => SagaPorts;
