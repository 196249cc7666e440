import type { CpuSample } from "@bazaar/testing";

/** A time window [start, end] in epoch ms, e.g. the span of one mode's samples in a run. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** A target's cumulative ticks at time t, interpolated linearly between the samples around it. */
export const ticksAt = (samples: readonly CpuSample[], target: string, t: number): number => {
  const series = samples.filter((s) => s.ticks[target] !== undefined);
  if (series.length === 0) return Number.NaN;
  if (t <= series[0]!.t) return series[0]!.ticks[target]!;
  for (let i = 1; i < series.length; i++) {
    const before = series[i - 1]!;
    const after = series[i]!;
    if (t <= after.t) {
      const fraction = after.t === before.t ? 1 : (t - before.t) / (after.t - before.t);
      return before.ticks[target]! + fraction * (after.ticks[target]! - before.ticks[target]!);
    }
  }
  return series.at(-1)!.ticks[target]!;
};

/** CPU milliseconds a target spent inside a window. */
export const cpuMsInWindow = (samples: readonly CpuSample[], target: string, window: TimeWindow, clockTicksPerSecond: number): number =>
  ((ticksAt(samples, target, window.end) - ticksAt(samples, target, window.start)) * 1_000) / clockTicksPerSecond;

export interface CpuPerOperation {
  /** CPU-ms per operation per target, plus `total` (the sum over targets). */
  perOperation: Record<string, number>;
  /** CPU-ms spent per target inside the window. */
  cpuMs: Record<string, number>;
  /** Average cores busy per target inside the window (cpuMs / window length). */
  cores: Record<string, number>;
  operations: number;
  windowMs: number;
}

/** Attributes each target's CPU time inside `window` to the `operations` done in it. */
export const cpuPerOperation = (
  samples: readonly CpuSample[],
  targets: readonly string[],
  window: TimeWindow,
  operations: number,
  clockTicksPerSecond: number,
): CpuPerOperation => {
  const cpuMs: Record<string, number> = {};
  for (const target of targets) cpuMs[target] = cpuMsInWindow(samples, target, window, clockTicksPerSecond);
  cpuMs.total = targets.reduce((sum, target) => sum + (Number.isFinite(cpuMs[target]) ? cpuMs[target]! : 0), 0);
  const windowMs = window.end - window.start;
  const perOperation: Record<string, number> = {};
  const cores: Record<string, number> = {};
  for (const [target, ms] of Object.entries(cpuMs)) {
    perOperation[target] = operations > 0 ? ms / operations : Number.NaN;
    cores[target] = windowMs > 0 ? ms / windowMs : Number.NaN;
  }
  return { perOperation, cpuMs, cores, operations, windowMs };
};

/** A window CPU is attributed to: one mode's, or the union of modes that ran side by side. */
export interface CpuWindow {
  label: string;
  modes: string[];
  window: TimeWindow;
  operations: number;
}

/**
 * One window per mode when the modes ran one after the other. Modes whose windows overlap by
 * more than 10 % of the shorter one ran side by side, and /proc cannot tell whose request a
 * process served: they share one window (their union) and one operation count.
 */
export const cpuWindows = (modes: readonly { mode: string; window: TimeWindow; operations: number }[]): CpuWindow[] => {
  const groups: CpuWindow[] = [];
  for (const m of [...modes].sort((a, b) => a.window.start - b.window.start)) {
    const overlapping = groups.find((g) => {
      const overlap = Math.min(g.window.end, m.window.end) - Math.max(g.window.start, m.window.start);
      const shorter = Math.min(g.window.end - g.window.start, m.window.end - m.window.start);
      return overlap > 0.1 * Math.max(shorter, 1);
    });
    if (overlapping) {
      overlapping.modes.push(m.mode);
      overlapping.label = overlapping.modes.join("+");
      overlapping.window = { start: Math.min(overlapping.window.start, m.window.start), end: Math.max(overlapping.window.end, m.window.end) };
      overlapping.operations += m.operations;
    } else groups.push({ label: m.mode, modes: [m.mode], window: { ...m.window }, operations: m.operations });
  }
  return groups;
};
