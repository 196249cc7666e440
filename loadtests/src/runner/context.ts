import { AsyncLocalStorage } from "node:async_hooks";
import type { Tags } from "./metrics/registry.js";

export type Phase = "init" | "setup" | "vu" | "teardown";

/** What one scenario shares among its VUs. */
export interface ScenarioState {
  readonly name: string;
  readonly executor: string;
  readonly env: Record<string, string>;
  readonly tags: Tags;
  /** Monotonic ms (performance.now) when the scenario started. */
  startedAt: number;
  /** Iterations started so far; the next one's `iterationInTest`. */
  iterationsStarted: number;
  iterationsCompleted: number;
  iterationsInterrupted: number;
  iterationsDropped: number;
  /** 0..1, the executor's progress through its duration. */
  progress: () => number;
}

/** One virtual user. Many share the event loop; their identity lives in the async context. */
export interface Vu {
  readonly idInTest: number;
  /** Iterations this VU has started (k6's __ITER of the next one). */
  iterations: number;
}

/**
 * The async context of running script code: which phase, which VU and iteration, which group.
 * Each iteration gets its own object, so `group()` may set `group` while its sync callback runs.
 */
export interface ExecutionContext {
  readonly phase: Phase;
  readonly env: Record<string, string>;
  readonly vu?: Vu;
  readonly scenario?: ScenarioState;
  /** Per-VU iteration number (__ITER). */
  readonly iteration: number;
  /** Iteration number within the scenario across all VUs. */
  readonly iterationInScenario: number;
  group: string;
  /** Aborted when the iteration is interrupted (gracefulStop expired, run aborted). */
  readonly signal: AbortSignal;
}

/** Holds the current ExecutionContext across awaits (VUs share one event loop). */
export class ContextStorage {
  private readonly storage = new AsyncLocalStorage<ExecutionContext>();

  current(): ExecutionContext | undefined {
    return this.storage.getStore();
  }

  run<T>(context: ExecutionContext, fn: () => T): T {
    return this.storage.run(context, fn);
  }

  /** The context, or an error naming the API that needs one. */
  require(api: string): ExecutionContext {
    const context = this.storage.getStore();
    if (!context) throw new Error(`${api} can only be used while a k6 script runs`);
    return context;
  }
}

/**
 * k6 scripts read `__ENV`, `__VU` and `__ITER` as globals; here they are getters on globalThis
 * reading the async context (one run per process at a time installs them).
 */
export const installScriptGlobals = (contexts: ContextStorage, initEnv: Record<string, string>): void => {
  const define = (name: string, get: () => unknown): void => {
    Object.defineProperty(globalThis, name, { configurable: true, enumerable: false, get });
  };
  define("__ENV", () => contexts.current()?.env ?? initEnv);
  define("__VU", () => contexts.current()?.vu?.idInTest ?? 0);
  define("__ITER", () => contexts.current()?.iteration ?? 0);
};
