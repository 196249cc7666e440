import { setTimeout as delay } from "node:timers/promises";
import type { RunRuntime } from "../runtime.js";
import type { ArrivalSchedule } from "./arrivalSchedule.js";
import type { IterationTracker } from "./iterations.js";
import type { VuPool } from "./vuPool.js";

/**
 * Open-loop driver shared by both arrival-rate executors: starts iteration i at its absolute
 * target time (scenario start + schedule(i), monotonic clock, so lateness never accumulates),
 * whether or not earlier iterations have finished. With no free VU and the pool at maxVUs the
 * iteration is dropped and counted in `dropped_iterations`.
 */
export const driveArrivals = async (options: {
  runtime: RunRuntime;
  schedule: ArrivalSchedule;
  startedAt: number;
  pool: VuPool;
  tracker: IterationTracker;
  stop: AbortSignal;
}): Promise<void> => {
  const { runtime, schedule, startedAt, pool, tracker, stop } = options;
  const droppedTags = { ...runtime.runTags, ...tracker.scenario.tags, scenario: tracker.scenario.name };
  for (let index = 0; !stop.aborted; index += 1) {
    const offset = schedule(index);
    if (offset === undefined) return;
    const wait = startedAt + offset - performance.now();
    if (wait > 0) {
      try {
        await delay(wait, undefined, { signal: stop });
      } catch {
        return;
      }
    }
    const vu = pool.acquire();
    if (!vu) {
      tracker.scenario.iterationsDropped += 1;
      runtime.registry.push(runtime.builtins.droppedIterations, 1, droppedTags);
      continue;
    }
    void tracker.start(vu).then(() => pool.release(vu));
  }
};
