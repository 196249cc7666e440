import { recordSpans } from "@bazaar/runtime";
import { SpanStatusCode } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import type { SagaDefinition } from "./sagaEngine.js";
import { withStepSpans } from "./sagaSpans.js";

let tracing: ReturnType<typeof recordSpans> | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

const ran: string[] = [];
/** Calls a step's function with the engine's arguments, whichever of them its type names. */
const call = (fn: unknown, ...args: unknown[]) => (fn as (...a: unknown[]) => Promise<unknown>)(...args);
const definition: SagaDefinition = {
  type: "test-saga",
  steps: () => [
    { name: "reserve", run: () => Promise.resolve(ran.push("reserve")), compensate: () => Promise.resolve(void ran.push("undo reserve")) },
    { name: "confirm", run: () => Promise.reject(new Error("refused")) },
  ],
};

describe("saga step spans", () => {
  it("makes each step and each compensation a span of its own, and still runs them", async () => {
    tracing = recordSpans("gateway");
    const [reserve, confirm] = withStepSpans(definition).steps({}, "saga-1");
    const outputs = {};
    const signal = new AbortController().signal;
    await call(reserve!.run, outputs, signal);
    await expect(call(confirm!.run, outputs, signal)).rejects.toThrow("refused");
    await call(reserve!.compensate, 1, outputs, signal);
    expect(confirm!.compensate).toBeUndefined();
    expect(ran).toEqual(["reserve", "undo reserve"]);
    expect(tracing.spans().map((s) => [s.name, s.attributes["bazaar.saga.id"], s.status.code])).toEqual([
      ["saga step reserve", "saga-1", SpanStatusCode.UNSET],
      ["saga step confirm", "saga-1", SpanStatusCode.ERROR],
      ["saga compensation reserve", "saga-1", SpanStatusCode.UNSET],
    ]);
  });
});
