// Step-wise arrival rates for finding the knee: ramp quickly to each rate, hold it, next.
import { duration } from "./env.js";

/** ramping-arrival-rate stages: for each rate, a `rampS` ramp to it, then `holdS` at it. */
export const stepStages = (rates, rampS, holdS) =>
  rates.flatMap((rate) => [
    { target: rate, duration: duration(rampS) },
    { target: rate, duration: duration(holdS) },
  ]);

/** Seconds the stages take in all. */
export const stagesLength = (rates, rampS, holdS) => rates.length * (rampS + holdS);

/**
 * The step (target rate) whose ramp or hold contains `elapsedS` seconds into the scenario; the
 * first before it starts, the last after it ends (graceful-stop stragglers).
 */
export const stepAt = (rates, rampS, holdS, elapsedS) => {
  const index = Math.floor(elapsedS / (rampS + holdS));
  return rates[Math.min(rates.length - 1, Math.max(0, index))];
};
