import { TimeoutError, UnavailableError } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { createSagaEngine, type SagaStep } from "./sagaEngine.js";
import { SagaTakenOverError, type SagaLog } from "./sagaLog.js";

/** A log that accepts every write (what run() and its compensation call), recording statuses. */
const recordingLog = (hold: () => Promise<void> = async () => undefined) => {
  const statuses: string[] = [];
  const log = {
    start: async () => undefined,
    step: async () => undefined,
    status: async (_sagaId: string, _owner: string, status: string) => void statuses.push(status),
    completed: async () => void statuses.push("COMPLETED"),
    hold,
  };
  return { log: log as unknown as SagaLog, statuses };
};

const engineFor = (steps: SagaStep[], log: SagaLog, options: { stepTimeoutMs?: number; compensationAttempts?: number } = {}) =>
  createSagaEngine({
    log,
    owner: "test",
    definitions: [{ type: "t", steps: () => steps }],
    stepTimeoutMs: options.stepTimeoutMs ?? 1_000,
    metrics: { ended: () => undefined },
    ...(options.compensationAttempts === undefined ? {} : { compensationAttempts: options.compensationAttempts }),
  });

/** A saga whose second step fails and whose first step's undo fails every time (its service down). */
const undoThatKeepsFailing = () => {
  let attempts = 0;
  const steps: SagaStep[] = [
    {
      name: "reserve",
      run: async () => "reserved",
      compensate: async () => {
        attempts += 1;
        throw new UnavailableError("inventory is down");
      },
    },
    { name: "confirm", run: async () => Promise.reject(new UnavailableError("ordering is down")) },
  ];
  return { steps, attempts: () => attempts };
};

describe("saga engine", () => {
  it("aborts a step's signal when its time is up, then compensates what ran", async () => {
    let undone = 0;
    let stepSignal: AbortSignal | undefined;
    const steps: SagaStep[] = [
      { name: "reserve", run: async () => "reserved", compensate: async () => void (undone += 1) },
      {
        name: "confirm",
        run: (_outputs, signal) => {
          stepSignal = signal;
          return new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("cancelled"))));
        },
      },
    ];
    const { log, statuses } = recordingLog();
    const outcome = await engineFor(steps, log, { stepTimeoutMs: 30 }).run("saga-1", "t", {});
    expect(outcome.status).toBe("COMPENSATED");
    expect(outcome.reason).toMatch(/confirm did not finish within 30 ms/);
    expect(stepSignal?.aborted).toBe(true);
    expect(stepSignal?.reason).toBeInstanceOf(TimeoutError);
    expect(undone).toBe(1);
    expect(statuses).toEqual(["COMPENSATING", "COMPENSATED"]);
  });

  it("tries an undo `compensationAttempts` times, waiting 200 ms, 400 ms… between, and not after the last", async () => {
    const { steps, attempts } = undoThatKeepsFailing();
    const { log } = recordingLog();
    const started = performance.now();
    await expect(engineFor(steps, log, { compensationAttempts: 3 }).run("saga-2", "t", {})).rejects.toThrow(/still undoing "reserve"/);
    const elapsed = performance.now() - started;
    expect(attempts()).toBe(3);
    // 200 + 400 ms between the attempts; a wait after the last would add 800 ms more.
    expect(elapsed).toBeGreaterThanOrEqual(580);
    expect(elapsed).toBeLessThan(1_300);
  });

  it("refuses a saga type without steps before it logs anything", async () => {
    const { log, statuses } = recordingLog();
    let started = 0;
    (log as unknown as { start: () => Promise<void> }).start = async () => void (started += 1);
    await expect(engineFor([], log).run("saga-0", "t", {})).rejects.toThrow("saga t has no steps");
    expect(started).toBe(0);
    expect(statuses).toEqual([]);
  });

  it("runs every step in order with the outputs of those before, and ends with the last step's record as COMPLETED", async () => {
    const seen: unknown[] = [];
    const steps: SagaStep[] = ["a", "b", "c"].map((name) => ({ name, run: async (outputs) => (seen.push({ ...outputs }), `${name}-out`) }));
    const { log, statuses } = recordingLog();
    const outcome = await engineFor(steps, log).run("saga-4", "t", {});
    expect(outcome).toEqual({ sagaId: "saga-4", status: "COMPLETED", result: { a: "a-out", b: "b-out", c: "c-out" } });
    expect(seen).toEqual([{}, { a: "a-out" }, { a: "a-out", b: "b-out" }]);
    expect(statuses).toEqual(["COMPLETED"]);
  });

  it("stops retrying an undo once the saga is taken over, and says so", async () => {
    const { steps, attempts } = undoThatKeepsFailing();
    const { log } = recordingLog(async () => Promise.reject(new SagaTakenOverError("saga-3")));
    await expect(engineFor(steps, log, { compensationAttempts: 5 }).run("saga-3", "t", {})).rejects.toBeInstanceOf(SagaTakenOverError);
    expect(attempts()).toBe(1);
  });
});
