import { isBazaarError, UnavailableError } from "@bazaar/core";
import { retry, wasNotAttempted, withTimeout } from "@bazaar/runtime";
import { crashPoint } from "@bazaar/event-store";
import { SagaTakenOverError, type LoggedSaga, type SagaLog } from "./sagaLog.js";
import type { SagaOutcome } from "./sagaCoordinator.js";

/** A step's refusal that ends the saga as a business outcome (e.g. insufficient stock), not a fault. */
export class SagaRejection extends Error {
  override name = "SagaRejection";
}

export interface SagaStep {
  name: string;
  /** Must be idempotent for the saga's id: recovery may run it again. */
  run(outputs: Record<string, unknown>, signal: AbortSignal): Promise<unknown>;
  /**
   * Undoes the step; idempotent, and safe when the step never took effect (a step whose
   * outcome is unknown — a timeout — is compensated too). `output` is undefined then.
   */
  compensate?(output: unknown, outputs: Record<string, unknown>, signal: AbortSignal): Promise<void>;
}

export interface SagaDefinition {
  type: string;
  steps(input: unknown, sagaId: string): SagaStep[];
}

export interface SagaMetrics {
  ended(type: string, status: SagaOutcome["status"]): void;
}

/**
 * A failure that certainly changed nothing downstream: the step needs no compensation. A call
 * refused before it left (breaker open, bulkhead full, budget spent) is one: with its service
 * down, the saga then undoes only what did happen and answers at once, instead of waiting to
 * undo a step that never ran on a service that cannot be reached.
 */
const certainlyNotApplied = (error: unknown) =>
  error instanceof SagaRejection || wasNotAttempted(error) || (isBazaarError(error) && error.kind !== "unavailable" && error.kind !== "timeout");

/** A failure that waiting cures (a service or store down or slow): an undo failing so is tried again later. */
const isTransient = (error: unknown) => isBazaarError(error) && (error.kind === "unavailable" || error.kind === "timeout");

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Waits between undo attempts: 200 ms doubling to 2 s, not jittered (recovery's timing relies on it). */
const UNDO_BACKOFF = { baseDelayMs: 200, maxDelayMs: 2_000, jitter: false };

/** The heartbeat between undo attempts failed (the saga taken over, or its log away): the undo's retries stop. */
class HeartbeatLost extends Error {}

/**
 * Runs sagas with a durable log: every step is logged DONE or FAILED after its call, each record
 * under the saga's fence (`log.step`), so the record of one step is the fence of the next call —
 * and the step after the last DONE is the one whose outcome a crash leaves unknown (no STARTED
 * record is written for it: two writes per step saved). On a failure, the compensations of what
 * ran (including a step whose outcome is unknown) run in reverse, each retried. A compensation still failing for a reason waiting
 * cures (its service down) leaves the saga COMPENSATING, for recovery to go on with once the
 * saga's heartbeat stood still; one refused for good ends the saga FAILED with the reason.
 * `recover` finishes (all steps done) or compensates a saga a dead or beaten coordinator left open.
 */
export const createSagaEngine = (deps: {
  log: SagaLog;
  /** Who drives the sagas this engine runs: every log write is fenced on it. */
  owner: string;
  definitions: SagaDefinition[];
  stepTimeoutMs: number;
  metrics: SagaMetrics;
  compensationAttempts?: number;
  /** Runs a compensation free of the caller's deadline: undoing must not stop when the request gave up. */
  unbounded?: <T>(work: () => Promise<T>) => Promise<T>;
}) => {
  const { log, owner } = deps;
  const unbounded = deps.unbounded ?? (<T>(work: () => Promise<T>) => work());
  const definitions = new Map(deps.definitions.map((d) => [d.type, d]));
  const attempts = deps.compensationAttempts ?? 8;

  const compensate = async (
    saga: { sagaId: string; type: string },
    ran: { step: SagaStep; output: unknown }[],
    outputs: Record<string, unknown>,
    reason: string,
    seq: number,
  ): Promise<SagaOutcome> => {
    await log.status(saga.sagaId, owner, "COMPENSATING", reason);
    for (const { step, output } of [...ran].reverse()) {
      if (!step.compensate) continue;
      const name = `undo ${step.name}`;
      seq += 1;
      await log.step(saga.sagaId, owner, seq, name, "compensation", "STARTED");
      let lastError: unknown;
      try {
        await retry(
          async (attempt) => {
            // A heartbeat between attempts: retrying keeps the saga ours (and stops if it is not).
            if (attempt > 1)
              await log.hold(saga.sagaId, owner).catch((error: unknown) => Promise.reject(new HeartbeatLost("the heartbeat failed", { cause: error })));
            await unbounded(() => withTimeout((signal) => step.compensate!(output, outputs, signal), deps.stepTimeoutMs, { what: name }));
          },
          { attempts, ...UNDO_BACKOFF, retryable: (error) => !(error instanceof HeartbeatLost) },
        );
      } catch (error) {
        if (error instanceof HeartbeatLost) throw error.cause;
        lastError = error;
      }
      if (lastError !== undefined) {
        await log.step(saga.sagaId, owner, seq, name, "compensation", "FAILED", { error: reasonOf(lastError) });
        if (isTransient(lastError)) {
          // Still COMPENSATING: recovery takes it up again after SAGA_RECOVER_AFTER_MS (the undo is idempotent).
          throw new UnavailableError(
            `saga ${saga.sagaId} is still undoing "${step.name}" (${reasonOf(lastError)}); recovery retries it; its outcome: GET /v1/sagas/${saga.sagaId}`,
          );
        }
        const failed = `${reason}; compensation "${name}" could not complete: ${reasonOf(lastError)}`;
        await log.status(saga.sagaId, owner, "FAILED", failed);
        deps.metrics.ended(saga.type, "FAILED");
        return { sagaId: saga.sagaId, status: "FAILED", reason: failed };
      }
      await log.step(saga.sagaId, owner, seq, name, "compensation", "DONE");
      crashPoint(`saga-after/${name}`);
    }
    await log.status(saga.sagaId, owner, "COMPENSATED", reason);
    deps.metrics.ended(saga.type, "COMPENSATED");
    return { sagaId: saga.sagaId, status: "COMPENSATED", reason };
  };

  const definitionOf = (type: string) => {
    const definition = definitions.get(type);
    if (!definition) throw new Error(`no saga definition for ${type}`);
    return definition;
  };

  return {
    /** Runs a saga to its end. A first step refused for certain rethrows its typed error (nothing happened). */
    async run(sagaId: string, type: string, input: unknown): Promise<SagaOutcome> {
      const steps = definitionOf(type).steps(input, sagaId);
      if (steps.length === 0) throw new Error(`saga ${type} has no steps`);
      await log.start(sagaId, type, input, owner);
      const outputs: Record<string, unknown> = {};
      const ran: { step: SagaStep; output: unknown }[] = [];
      for (const [index, step] of steps.entries()) {
        const seq = index + 1;
        crashPoint(`saga-before/${step.name}`);
        try {
          const output = await withTimeout((signal) => step.run(outputs, signal), deps.stepTimeoutMs, { what: step.name });
          outputs[step.name] = output;
          // The last step's record shares the COMPLETED status's fence.
          if (seq === steps.length) await log.completed(sagaId, owner, seq, step.name, output);
          else {
            await log.step(sagaId, owner, seq, step.name, "step", "DONE", { output });
            crashPoint(`saga-after/${step.name}`);
            ran.push({ step, output });
          }
        } catch (error) {
          if (error instanceof SagaTakenOverError) throw error;
          await log.step(sagaId, owner, seq, step.name, "step", "FAILED", { error: reasonOf(error) });
          if (!certainlyNotApplied(error)) ran.push({ step, output: undefined });
          if (ran.every((r) => !r.step.compensate) && !(error instanceof SagaRejection)) {
            // Refused before anything changed (bad input, unknown product, stale If-Match): the caller's error.
            await log.status(sagaId, owner, "COMPENSATED", reasonOf(error));
            deps.metrics.ended(type, "COMPENSATED");
            throw error;
          }
          return compensate({ sagaId, type }, ran, outputs, reasonOf(error), seq);
        }
      }
      deps.metrics.ended(type, "COMPLETED");
      return { sagaId, status: "COMPLETED", result: outputs };
    },

    /** Ends a saga a dead coordinator left open: completed if every step is done, else compensated. */
    async recover(saga: LoggedSaga): Promise<SagaOutcome> {
      const steps = definitionOf(saga.type).steps(saga.input, saga.sagaId);
      const logged = new Map(saga.steps.filter((s) => s.kind === "step").map((s) => [s.name, s]));
      const outputs: Record<string, unknown> = {};
      const ran: { step: SagaStep; output: unknown }[] = [];
      let done = 0;
      for (const step of steps) {
        const entry = logged.get(step.name);
        // The step after the last one done may have run (its call was under way), or one failed
        // perhaps after taking effect, or one logged STARTED by an older release: compensated too,
        // as compensations are safe for a step that never happened. Nothing after it ran.
        ran.push({ step, output: entry?.output });
        if (entry?.status !== "DONE") break;
        outputs[step.name] = entry.output;
        done += 1;
      }
      // After the possibly-run step's own seq: a coordinator taken over may still log it DONE.
      const lastSeq = Math.max(ran.length, ...saga.steps.map((s) => s.seq));
      if (saga.status === "RUNNING" && done === steps.length) {
        await log.status(saga.sagaId, owner, "COMPLETED");
        deps.metrics.ended(saga.type, "COMPLETED");
        return { sagaId: saga.sagaId, status: "COMPLETED", result: outputs };
      }
      return compensate(saga, ran, outputs, saga.reason ?? "the coordinator stopped before the saga ended", lastSeq);
    },
  };
};

export type SagaEngine = ReturnType<typeof createSagaEngine>;
