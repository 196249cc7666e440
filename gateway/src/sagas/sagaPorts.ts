/** What the sagas call downstream: each an idempotent gRPC operation of one context. */
export interface SagaPorts {
  /** The product's current name and version, from the catalog. */
  readProduct(productId: string): Promise<{ name: string; version: number }>;
  /** Renames at `expectedVersion` (ABORTED when the product moved); answers the new version and the name before. */
  renameProduct(input: { productId: string; name: string; expectedVersion: number }): Promise<{ version: number; previousName: string }>;
  applyProductRename(input: { productId: string; name: string; catalogVersion: number }): Promise<{ applied: boolean }>;
  placeSyncOrder(input: { orderId: string; customerId: string; lines: { productId: string; quantity: number }[] }): Promise<{ total: { amount: number; currency: string } }>;
  reserveStock(input: { orderId: string; lines: { productId: string; quantity: number }[] }): Promise<{ reserved: boolean; reason: string }>;
  releaseStock(orderId: string): Promise<void>;
  /** Answers the order stream's version after the confirmation. */
  confirmOrder(orderId: string, reservedLines: { productId: string; quantity: number }[]): Promise<{ version: number }>;
  rejectOrder(orderId: string, reason: string): Promise<void>;
  cancelOrder(orderId: string, reason: string): Promise<void>;
}

/** Who a saga's calls are made for: carried downstream as gRPC metadata (correlation, causation, actor). */
export interface SagaCall {
  sagaId: string;
  correlationId: string;
  actor: string;
}

/** Ports bound to one saga's call context. */
export type SagaPortsFor = (call: SagaCall) => SagaPorts;
