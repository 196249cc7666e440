import { createLogger } from "@bazaar/runtime";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { apiRoutes } from "../app.js";
import { createMemoryDownstreams } from "../clients/memoryDownstreams.js";
import { createConsistencyTokens } from "../http/consistencyTokens.js";
import { createCursorSeal } from "../http/signedCursors.js";
import { commandBodies } from "./commandBodies.js";

const SECRET = "test-secret-of-at-least-thirty-two-bytes";
const routes = apiRoutes({
  ...createMemoryDownstreams(),
  tokens: createConsistencyTokens(SECRET),
  cursors: createCursorSeal(SECRET),
  consistencyWaitMs: 0,
  authorize: () => (_req, _res, next) => next(),
  logger: createLogger("command-bodies-test", {}),
  bodyLimit: "16kb",
});
const asJsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });

describe("the command bodies the console validates with", () => {
  it.each(Object.entries(commandBodies))("%s: equal to the body its route enforces", (operationId, shared) => {
    const route = routes.find((candidate) => candidate.operationId === operationId);
    expect(route?.body, `no route ${operationId} with a body`).toBeDefined();
    expect(asJsonSchema(shared)).toEqual(asJsonSchema(route!.body!));
  });

  it("covers every route that takes a body", () => {
    const withBody = routes.filter((route) => route.body !== undefined).map((route) => route.operationId);
    expect(Object.keys(commandBodies).sort()).toEqual(withBody.sort());
  });

  it("refuses and accepts as the routes do, refinements included (which JSON Schema does not show)", () => {
    const line = { productId: "3F2504E0-4F89-41D3-9A0C-0305E82C3301", quantity: 1 };
    const order = { customerId: "3f2504e0-4f89-41d3-9a0c-0305e82c3302", lines: [line, line] };
    const route = routes.find((candidate) => candidate.operationId === "placeOrder")!;
    expect(commandBodies.placeOrder.safeParse(order).success).toBe(false);
    expect(route.body!.safeParse(order).success).toBe(false);
    const single = { ...order, lines: [line] };
    expect(commandBodies.placeOrder.parse(single)).toEqual(route.body!.parse(single));
  });
});
