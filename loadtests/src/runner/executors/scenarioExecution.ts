import { setImmediate as yieldToEventLoop, setTimeout as delay } from "node:timers/promises";
import type { ScenarioState } from "../context.js";
import type { ScenarioConfig } from "../options.js";
import type { RunRuntime } from "../runtime.js";
import { driveArrivals } from "./arrivalRate.js";
import { constantArrivals, rampingArrivals } from "./arrivalSchedule.js";
import { IterationTracker, type VuFunction } from "./iterations.js";
import { VuPool } from "./vuPool.js";

/** How long the executor starts iterations (gracefulStop comes after). */
export const scenarioDurationMs = (config: ScenarioConfig): number =>
  config.executor === "ramping-arrival-rate" ? config.stages.reduce((sum, stage) => sum + stage.durationMs, 0) : config.durationMs;

/** constant-vus: each VU runs iterations back to back until the duration ends (closed loop). */
const driveConstantVus = async (pool: VuPool, vus: number, tracker: IterationTracker, endsAt: number, stop: AbortSignal): Promise<void> => {
  const loops = Array.from({ length: vus }, async () => {
    const vu = pool.acquire();
    if (!vu) return;
    while (!stop.aborted && performance.now() < endsAt) {
      await tracker.start(vu);
      // An iteration without I/O settles in a microtask; yield so timers (the end) can fire.
      await yieldToEventLoop();
    }
    pool.release(vu);
  });
  try {
    await delay(Math.max(0, endsAt - performance.now()), undefined, { signal: stop });
  } catch {
    // Run aborted: stop starting iterations now.
  }
  // The loops end by themselves once their current iteration is done (or interrupted).
  void Promise.all(loops);
};

/** One scenario of the run, from its VUs to its end (after gracefulStop). */
export class ScenarioExecution {
  readonly state: ScenarioState;
  private readonly pool: VuPool;

  constructor(
    private readonly runtime: RunRuntime,
    readonly config: ScenarioConfig,
    private readonly fn: VuFunction,
    runEnv: Record<string, string>,
    nextVuId: () => number,
  ) {
    const preAllocated = config.executor === "constant-vus" ? config.vus : config.preAllocatedVUs;
    const max = config.executor === "constant-vus" ? config.vus : config.maxVUs;
    this.pool = new VuPool(nextVuId, preAllocated, max);
    const durationMs = scenarioDurationMs(config);
    const state: ScenarioState = {
      name: config.name,
      executor: config.executor,
      env: { ...runEnv, ...config.env },
      tags: config.tags,
      startedAt: 0,
      iterationsStarted: 0,
      iterationsCompleted: 0,
      iterationsInterrupted: 0,
      iterationsDropped: 0,
      progress: () => (state.startedAt === 0 ? 0 : Math.min(1, (performance.now() - state.startedAt) / Math.max(1, durationMs))),
    };
    this.state = state;
  }

  get busyVus(): number {
    return this.pool.busy;
  }

  get allocatedVus(): number {
    return this.pool.allocated;
  }

  /** Waits for startTime (from `testStartedAt`), runs the executor, then gracefulStop. */
  async run(testStartedAt: number, data: unknown, stop: AbortSignal, log: (line: string) => void): Promise<void> {
    const { config, runtime } = this;
    try {
      await delay(Math.max(0, testStartedAt + config.startTimeMs - performance.now()), undefined, { signal: stop });
    } catch {
      return;
    }
    const tracker = new IterationTracker(runtime, this.state, this.fn, data);
    const startedAt = performance.now();
    this.state.startedAt = startedAt;
    const endsAt = startedAt + scenarioDurationMs(config);
    switch (config.executor) {
      case "constant-arrival-rate":
        await driveArrivals({
          runtime,
          schedule: constantArrivals(config.rate, config.timeUnitMs, config.durationMs),
          startedAt,
          pool: this.pool,
          tracker,
          stop,
        });
        break;
      case "ramping-arrival-rate":
        await driveArrivals({
          runtime,
          schedule: rampingArrivals(config.startRate, config.timeUnitMs, config.stages),
          startedAt,
          pool: this.pool,
          tracker,
          stop,
        });
        break;
      case "constant-vus":
        await driveConstantVus(this.pool, config.vus, tracker, endsAt, stop);
        break;
    }
    // Arrival-rate schedules end with their last start; the scenario's time runs to its duration.
    if (!stop.aborted) {
      try {
        await delay(Math.max(0, endsAt - performance.now()), undefined, { signal: stop });
      } catch {
        // aborted
      }
    }
    const interrupted = await tracker.finish(stop.aborted ? 0 : config.gracefulStopMs);
    if (interrupted > 0)
      log(`scenario ${config.name}: ${interrupted} iteration(s) still running after gracefulStop ${config.gracefulStopMs} ms were interrupted`);
  }
}
