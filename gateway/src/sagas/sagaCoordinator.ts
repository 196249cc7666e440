/** How a saga ended, as the REST layer answers it. */
export interface SagaOutcome {
  sagaId: string;
  status: "COMPLETED" | "COMPENSATED" | "FAILED";
  reason?: string;
  result?: unknown;
}

export interface SagaStepView {
  name: string;
  kind: "step" | "compensation";
  status: string;
  at: string;
  error?: string;
}

export interface SagaView {
  sagaId: string;
  type: string;
  status: string;
  reason?: string;
  startedAt: string;
  updatedAt: string;
  steps: SagaStepView[];
}

export interface SagaContext {
  correlationId: string;
  actor: string;
}

/** The gateway's coordinator of synchronous multi-service updates (DESIGN §4, gateway approach). */
export interface SagaCoordinator {
  renameProduct(input: { productId: string; name: string; expectedVersion?: number }, context: SagaContext): Promise<SagaOutcome>;
  placeOrder(input: { orderId: string; customerId: string; lines: { productId: string; quantity: number }[] }, context: SagaContext): Promise<SagaOutcome>;
  /** NotFoundError when unknown. */
  get(sagaId: string): Promise<SagaView>;
  /** Sagas not finished yet (running or compensating), at most `limit`, oldest first. */
  open(limit: number): Promise<SagaView[]>;
  /** Sagas that ended FAILED (an undo refused for good), oldest first. */
  failed(limit: number): Promise<SagaView[]>;
}
