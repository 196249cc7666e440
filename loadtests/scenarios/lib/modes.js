// The scripts compare modes (async against sync, local against hybrid) under the same open-loop
// load: a constant-arrival-rate scenario per mode, and a budget of failures per mode.
import { arrival, duration } from "./env.js";

/** A constant-arrival-rate scenario: `exec` at `perSecond` iterations/s for `durationS` from `startS` (seconds; unset: the start). */
export const arrivalScenario = ({ exec, perSecond, durationS, startS, preAllocatedVUs, maxVUs, gracefulStopS, tags }) => ({
  executor: "constant-arrival-rate",
  exec,
  ...arrival(perSecond),
  duration: duration(durationS),
  ...(startS === undefined ? {} : { startTime: duration(startS) }),
  preAllocatedVUs,
  maxVUs,
  gracefulStop: duration(gracefulStopS),
  tags,
});

/**
 * Scenarios that run the modes in turn, `gapS` apart, each at `perSecond` for `durationS`:
 * mode → the function it runs (`exec`), in order; `limits(mode)` → its preAllocatedVUs, maxVUs
 * and gracefulStopS. Each is tagged with its mode, plus `tags`.
 */
export const modesInTurn = ({ exec, perSecond, durationS, gapS, limits, tags }) =>
  Object.fromEntries(
    Object.entries(exec).map(([mode, fn], i) => [
      mode,
      arrivalScenario({ exec: fn, perSecond, durationS, startS: i * (durationS + gapS), ...limits(mode), tags: { mode, ...tags } }),
    ]),
  );

/** How many of the iterations a mode plans (`perSecond` × `durationS`, at least one) may fail: `share` of them, rounded down. */
export const failureBudget = (perSecond, durationS, share) => Math.floor(Math.max(1, Math.round(perSecond * durationS)) * share);
