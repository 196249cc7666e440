import { randomUUID } from "node:crypto";
import { NotFoundError, UnavailableError } from "@bazaar/core";
import { startPeriodic, type Logger } from "@bazaar/runtime";
import type { Registry } from "prom-client";
import cassandra from "cassandra-driver";
import { placeOrderSaga } from "./placeOrderSaga.js";
import { renameProductSaga } from "./renameProductSaga.js";
import type { SagaCoordinator, SagaOutcome } from "./sagaCoordinator.js";
import { createSagaEngine } from "./sagaEngine.js";
import { createSagaLog, ensureSagaSchema, toSagaView, type LoggedSaga } from "./sagaLog.js";
import { createSagaMetrics } from "./sagaMetrics.js";
import { withStepSpans } from "./sagaSpans.js";
import type { SagaPortsFor, StreamPosition } from "./sagaPorts.js";

const ENDED = new Set(["COMPLETED", "COMPENSATED", "FAILED"]);

const outcomeOf = (saga: LoggedSaga): SagaOutcome => ({
  sagaId: saga.sagaId,
  status: saga.status as SagaOutcome["status"],
  ...(saga.reason ? { reason: saga.reason } : {}),
});

/**
 * The gateway's saga coordinator over a durable log in its own keyspace, with recovery: sagas a
 * dead coordinator left open (no step logged for `recoverAfterMs`) are claimed, then finished
 * or compensated.
 */
export const createSagaCoordinator = async (deps: {
  cassandra: cassandra.Client;
  keyspace: string;
  ports: SagaPortsFor;
  registry: Registry;
  logger: Logger;
  stepTimeoutMs: number;
  recoverAfterMs: number;
  recoveryIntervalMs: number;
  /** Runs a compensation free of the request's time budget (see sagaEngine). */
  unbounded?: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * The caller's answer within its time budget: a saga still running (a step or the log slowed by
   * an outage, compensations under way) when the budget is spent answers as a timeout while it
   * goes on; its outcome is found later. Default: wait for the saga.
   */
  bounded?: <T>(work: Promise<T>, what: string, onLate: (error: unknown) => void) => Promise<T>;
}): Promise<SagaCoordinator & { recoverOnce(): Promise<number>; stop(): Promise<void> }> => {
  await ensureSagaSchema(deps.cassandra, deps.keyspace);
  const log = createSagaLog(deps.cassandra, deps.keyspace);
  const owner = `gateway-${process.pid}-${randomUUID().slice(0, 8)}`;
  const engine = createSagaEngine({
    log,
    owner,
    ...(deps.unbounded ? { unbounded: deps.unbounded } : {}),
    definitions: [renameProductSaga(deps.ports), placeOrderSaga(deps.ports)].map(withStepSpans),
    stepTimeoutMs: deps.stepTimeoutMs,
    metrics: createSagaMetrics(deps.registry),
  });

  const pass = async (): Promise<number> => {
    let recovered = 0;
    for (const { sagaId } of await log.open()) {
      const saga = await log.load(sagaId).catch(() => undefined);
      if (!saga || ENDED.has(saga.status) || Date.now() - saga.updatedAt.getTime() < deps.recoverAfterMs) continue;
      try {
        if (!(await log.claim(sagaId, saga.updatedAt, owner))) continue;
        const outcome = await engine.recover(saga);
        deps.logger.warn({ sagaId, type: saga.type, status: outcome.status, reason: outcome.reason }, "saga recovered");
        recovered += 1;
      } catch (err) {
        // This one waits for a later pass (its heartbeat stands still again); the others go on now.
        deps.logger.warn({ err, sagaId, type: saga.type }, "saga recovery did not finish");
      }
    }
    return recovered;
  };

  // Passes run one after another: a pass asked for while one runs waits for it, then runs.
  let running: Promise<unknown> = Promise.resolve();
  const recoverOnce = (): Promise<number> => {
    const next = running.then(pass, pass);
    running = next.catch((err: unknown) => deps.logger.warn({ err }, "saga recovery pass failed"));
    return next;
  };

  const placeOrder: SagaCoordinator["placeOrder"] = async (input, context) => {
    // The order id is the saga id: a retried request finds its saga instead of starting another.
    const existing = await log.load(input.orderId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (existing) {
      if (ENDED.has(existing.status)) return outcomeOf(existing);
      // Not an answer but "not yet": a 5xx frees the retry's Idempotency-Key, so the one after
      // it gets the outcome (a 409 would be stored as the key's answer for good).
      throw new UnavailableError(`the saga of order ${input.orderId} is still running; retry shortly for its outcome`);
    }
    const outcome = await engine.run(input.orderId, "place-order", { ...input, context });
    const confirmed = (outcome.result as Record<string, { position: StreamPosition }> | undefined)?.["ordering.confirm"];
    return confirmed ? { ...outcome, result: { position: confirmed.position } } : outcome;
  };

  const bounded = deps.bounded ?? (<T>(work: Promise<T>) => work);
  const late = (sagaType: string) => (err: unknown) => deps.logger.warn({ err, type: sagaType }, "a saga answered late ended in error");

  // A failed pass is logged by recoverOnce; the next one runs an interval later.
  const recovery = startPeriodic(recoverOnce, { intervalMs: deps.recoveryIntervalMs });

  return {
    async renameProduct(input, context) {
      const outcome = await bounded(engine.run(randomUUID(), "rename-product", { ...input, context }), "the rename saga", late("rename-product"));
      const renamed = (outcome.result as Record<string, { position: StreamPosition }> | undefined)?.["catalog.rename"];
      // The answer carries where the product's stream is, for the consistency token.
      return renamed ? { ...outcome, result: { position: renamed.position } } : outcome;
    },
    placeOrder: (input, context) => bounded(placeOrder(input, context), `the saga of order ${input.orderId}`, late("place-order")),
    get: async (sagaId) => toSagaView(await log.load(sagaId)),
    async open(limit) {
      const loaded = await Promise.all((await log.open()).slice(0, limit).map((saga) => log.load(saga.sagaId).then(toSagaView)));
      return loaded.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    },
    async failed(limit) {
      const loaded = await Promise.all((await log.failed()).slice(0, limit).map((sagaId) => log.load(sagaId).then(toSagaView)));
      return loaded.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    },
    recoverOnce,
    async stop() {
      await recovery.stop();
      await running;
    },
  };
};
