import type { Reply } from "../openapi/defineRoute.js";
import type { SagaOutcome } from "../sagas/sagaCoordinator.js";

/** How a route names a saga that did not complete: its problem type, a title per ending, and the saga's name for the detail. */
export interface SagaProblem {
  type: string;
  compensated: string;
  failed: string;
  saga: string;
}

/**
 * A sync flow whose saga compensated or failed: 409 problem+json naming the saga (Location: its
 * step log) and the reason, with the route's own `fields` (e.g. the order's id and status).
 */
export const sagaNotCompleted = (outcome: SagaOutcome, problem: SagaProblem, fields: Record<string, unknown> = {}): Reply => ({
  status: 409,
  problem: true,
  headers: { Location: `/v1/sagas/${outcome.sagaId}` },
  body: {
    type: problem.type,
    title: outcome.status === "COMPENSATED" ? problem.compensated : problem.failed,
    detail: outcome.reason ?? `the ${problem.saga} saga ended ${outcome.status}`,
    ...fields,
    sagaId: outcome.sagaId,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
  },
});
