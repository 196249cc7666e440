import { z } from "zod";

/**
 * A saga as the REST API answers it, whole and in a list. Only zod is imported: the web console
 * (console/) takes its saga types from here instead of declaring them again.
 */

export const SagaView = z
  .object({
    sagaId: z.string(),
    type: z.string(),
    status: z.string(),
    reason: z.string().optional(),
    startedAt: z.string(),
    updatedAt: z.string(),
    steps: z.array(z.object({ name: z.string(), kind: z.enum(["step", "compensation"]), status: z.string(), at: z.string(), error: z.string().optional() })),
  })
  .meta({ id: "Saga" });

export const SagaSummary = z
  .object({
    sagaId: z.string(),
    type: z.string(),
    status: z.string().describe("RUNNING or COMPENSATING, or FAILED (the log may have moved on since it was listed)"),
    reason: z.string().optional(),
    startedAt: z.string(),
    updatedAt: z.string(),
    steps: z.number().int().describe("Steps and compensations logged so far"),
  })
  .meta({ id: "SagaSummary" });
