import type { ExecutionContext, ScenarioState, Vu } from "../context.js";
import { systemTags, type RunRuntime } from "../runtime.js";

export type VuFunction = (data: unknown) => unknown;

/**
 * Starts iterations of one scenario and keeps track of those still running, so the scenario can
 * await them at its end (gracefulStop) and then interrupt the rest.
 */
export class IterationTracker {
  private readonly running = new Set<Promise<void>>();
  private readonly interruption = new AbortController();

  constructor(
    private readonly runtime: RunRuntime,
    readonly scenario: ScenarioState,
    private readonly fn: VuFunction,
    private readonly data: unknown,
  ) {}

  get inFlight(): number {
    return this.running.size;
  }

  /** Runs one iteration on `vu`; the promise settles when it ends (never rejects). */
  start(vu: Vu): Promise<void> {
    const { runtime, scenario } = this;
    const context: ExecutionContext = {
      phase: "vu",
      env: scenario.env,
      vu,
      scenario,
      iteration: vu.iterations,
      iterationInScenario: scenario.iterationsStarted,
      group: "",
      signal: this.interruption.signal,
    };
    vu.iterations += 1;
    scenario.iterationsStarted += 1;
    const startedAt = performance.now();
    const iteration = runtime.contexts
      .run(context, async () => {
        await this.fn(this.data);
      })
      .catch((error: unknown) => {
        if (!context.signal.aborted) runtime.errors.report(`scenario ${scenario.name} (${scenario.executor}), VU ${vu.idInTest}`, error);
      })
      .then(() => {
        this.running.delete(iteration);
        if (context.signal.aborted) return;
        scenario.iterationsCompleted += 1;
        const tags = systemTags(runtime, context);
        tags.group = "";
        runtime.registry.push(runtime.builtins.iterationDuration, performance.now() - startedAt, tags);
        runtime.registry.push(runtime.builtins.iterations, 1, tags);
      });
    this.running.add(iteration);
    return iteration;
  }

  /** Waits for running iterations up to `gracefulStopMs`, then interrupts the rest; returns how many were interrupted. */
  async finish(gracefulStopMs: number): Promise<number> {
    if (this.running.size > 0 && gracefulStopMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, gracefulStopMs);
      });
      await Promise.race([Promise.allSettled([...this.running]), deadline]);
      clearTimeout(timer);
    }
    const interrupted = this.running.size;
    this.interruption.abort(new Error(`scenario ${this.scenario.name}: iteration interrupted (gracefulStop)`));
    this.scenario.iterationsInterrupted += interrupted;
    return interrupted;
  }
}
