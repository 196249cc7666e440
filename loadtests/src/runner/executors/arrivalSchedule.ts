import type { RampingStage } from "../options.js";

/**
 * When iteration `i` (0-based) of an arrival-rate scenario starts, in ms from the scenario's
 * start, or undefined when it falls past the scenario's end. Both executors start iteration i
 * where the integral of the arrival rate reaches i.
 */
export type ArrivalSchedule = (index: number) => number | undefined;

export const constantArrivals = (rate: number, timeUnitMs: number, durationMs: number): ArrivalSchedule => {
  const intervalMs = timeUnitMs / rate;
  return (index) => {
    const at = index * intervalMs;
    return at < durationMs ? at : undefined;
  };
};

/** Linear ramps between stage targets (from startRate), as in k6's ramping-arrival-rate. */
export const rampingArrivals = (startRate: number, timeUnitMs: number, stages: readonly RampingStage[]): ArrivalSchedule => {
  // Per stage: where it starts (ms), how many iterations precede it, its rates per ms.
  const segments: Array<{ startMs: number; durationMs: number; before: number; from: number; to: number }> = [];
  let startMs = 0;
  let before = 0;
  let rate = startRate / timeUnitMs;
  for (const stage of stages) {
    const target = stage.target / timeUnitMs;
    segments.push({ startMs, durationMs: stage.durationMs, before, from: rate, to: target });
    before += ((rate + target) / 2) * stage.durationMs;
    startMs += stage.durationMs;
    rate = target;
  }
  const totalMs = startMs;
  const total = before;

  return (index) => {
    if (index >= total) return undefined;
    // Segments are few (a handful of stages): a linear search is simplest.
    for (const segment of segments) {
      const inSegment = ((segment.from + segment.to) / 2) * segment.durationMs;
      if (segment.durationMs === 0 || index >= segment.before + inSegment) continue;
      const wanted = index - segment.before;
      const slope = (segment.to - segment.from) / segment.durationMs;
      // Solve from·t + slope·t²/2 = wanted for t ≥ 0.
      const t =
        Math.abs(slope) < 1e-15 ? wanted / segment.from : (-segment.from + Math.sqrt(Math.max(0, segment.from * segment.from + 2 * slope * wanted))) / slope;
      const at = segment.startMs + Math.min(Math.max(t, 0), segment.durationMs);
      return at < totalMs ? at : undefined;
    }
    return undefined;
  };
};
