import { createLogger } from "@bazaar/runtime";
import { describe, expect, it } from "vitest";
import { apiRoutes } from "../app.js";
import { createConsistencyTokens } from "../http/consistencyTokens.js";
import { createCursorSeal } from "../http/signedCursors.js";
import { createScriptedDownstreams } from "../../../test/fakes/scriptedDownstreams.js";
import { commandBodies } from "./commandBodies.js";

const SECRET = "test-secret-of-at-least-thirty-two-bytes";
const routes = apiRoutes({
  ...createScriptedDownstreams().deps,
  tokens: createConsistencyTokens(SECRET),
  cursors: createCursorSeal(SECRET),
  consistencyWaitMs: 0,
  authorize: () => (_req, _res, next) => next(),
  logger: createLogger("command-bodies-test", {}),
  bodyLimit: "16kb",
});

describe("the command bodies the console validates with", () => {
  it.each(Object.entries(commandBodies))("%s: is the body its route enforces", (operationId, shared) => {
    const route = routes.find((candidate) => candidate.operationId === operationId);
    expect(route?.body, `no route ${operationId} with a body`).toBeDefined();
    expect(route!.body).toBe(shared);
  });

  it("covers every route that takes a body", () => {
    const withBody = routes.filter((route) => route.body !== undefined).map((route) => route.operationId);
    expect(Object.keys(commandBodies).sort()).toEqual(withBody.sort());
  });

  it("carries the refinements the browser must apply too (which JSON Schema does not show): an order names each product once", () => {
    const line = { productId: "3F2504E0-4F89-41D3-9A0C-0305E82C3301", quantity: 1 };
    const order = { customerId: "3f2504e0-4f89-41d3-9a0c-0305e82c3302", lines: [line, line] };
    expect(commandBodies.placeOrder.safeParse(order).error?.issues.map((issue) => issue.message)).toEqual(["must name each product once"]);
    expect(commandBodies.placeOrder.safeParse({ ...order, lines: [line] }).success).toBe(true);
  });
});
