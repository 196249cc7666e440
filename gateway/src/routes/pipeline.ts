import { z } from "zod";
import type { PipelineState } from "../clients/pipelineState.js";
import { defineRoute, type Route } from "../openapi/defineRoute.js";
import { problems } from "../openapi/problems.js";

const Pipeline = z
  .object({
    consumers: z.array(
      z.object({
        context: z.string().describe("The context whose stream it reads"),
        consumer: z.string().describe("A read model's projector or another context's reaction"),
        pending: z.number().int().describe("Events not delivered to it yet: how far behind it is"),
        ackPending: z.number().int().describe("Delivered and not yet acknowledged"),
        redelivered: z.number().int(),
        lastActive: z.string().optional(),
      }),
    ),
    deadLetters: z.array(z.object({ consumer: z.string(), count: z.number().int().describe("Events it refused for good") })),
  })
  .meta({ id: "Pipeline" });

/** The asynchronous side for operators: lag of every projector and reaction, and their dead letters. */
export const pipelineRoutes = (pipeline: PipelineState): Route[] => [
  defineRoute({
    method: "get",
    path: "/v1/operations/pipeline",
    operationId: "pipelineState",
    summary: "Every projector's and reaction's lag (JetStream's pending counts) and dead-lettered events; staff only",
    tag: "operations",
    scopes: ["read", "staff"],
    responses: { 200: { description: "The pipeline now", schema: Pipeline }, ...problems(503) },
    handler: async () => ({ status: 200, body: await pipeline.read() }),
  }),
];
