import { inSpan, tracerFor } from "@bazaar/core/spans";
import type { SagaDefinition, SagaStep } from "./sagaEngine.js";

const tracer = tracerFor("gateway/sagas");

/**
 * A saga whose every step and every compensation is a span of its own (`saga step reserve-stock`,
 * `saga compensation reserve-stock`), with the saga's id and type: in the request's trace when
 * the saga runs for a request, in a trace of its own when recovery finishes it.
 */
export const withStepSpans = (definition: SagaDefinition): SagaDefinition => ({
  type: definition.type,
  steps: (input, sagaId) =>
    definition.steps(input, sagaId).map((step): SagaStep => {
      const attributes = { "bazaar.saga.id": sagaId, "bazaar.saga.type": definition.type, "bazaar.saga.step": step.name };
      const compensate = step.compensate?.bind(step);
      return {
        name: step.name,
        run: (...args: Parameters<SagaStep["run"]>) => inSpan(tracer, `saga step ${step.name}`, { attributes }, () => step.run(...args)),
        ...(compensate && {
          compensate: (...args: Parameters<NonNullable<SagaStep["compensate"]>>) =>
            inSpan(tracer, `saga compensation ${step.name}`, { attributes }, () => compensate(...args)),
        }),
      };
    }),
});
