import type { ProjectionMetrics } from "@bazaar/projections";

/** Counts the projector's outcomes (applied, duplicate, gap, …) and its batches. */
export const countingMetrics = () => {
  const outcomes: Record<string, number> = {};
  let batches = 0;
  const metrics: ProjectionMetrics = {
    outcome: (_projection, outcome, count) => {
      outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
    },
    applied: () => {
      batches += 1;
    },
  };
  return { metrics, outcomes, batches: () => batches };
};
