import { build, type Histogram } from "hdr-histogram-js";

export type MetricType = "counter" | "gauge" | "rate" | "trend";

/** Aggregates one metric's (or sub-metric's) samples; `aggregate` answers threshold expressions. */
export interface Sink {
  add(value: number): void;
  /** The summary's `values` object. `testDurationMs` feeds the counter's per-second rate. */
  values(testDurationMs: number, trendStats: readonly string[]): Record<string, number>;
  /** One aggregation by k6 name (`count`, `rate`, `value`, `avg`, `p(99)`, …); undefined if not valid for this type. */
  aggregate(name: string, testDurationMs: number): number | undefined;
  readonly sampleCount: number;
}

class CounterSink implements Sink {
  sampleCount = 0;
  private sum = 0;
  add(value: number): void {
    this.sampleCount += 1;
    this.sum += value;
  }
  values(testDurationMs: number): Record<string, number> {
    return { count: this.sum, rate: this.perSecond(testDurationMs) };
  }
  aggregate(name: string, testDurationMs: number): number | undefined {
    if (name === "count") return this.sum;
    if (name === "rate") return this.perSecond(testDurationMs);
    return undefined;
  }
  private perSecond(testDurationMs: number): number {
    return testDurationMs > 0 ? this.sum / (testDurationMs / 1000) : 0;
  }
}

class GaugeSink implements Sink {
  sampleCount = 0;
  private last = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  add(value: number): void {
    this.sampleCount += 1;
    this.last = value;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
  }
  values(): Record<string, number> {
    return this.sampleCount === 0 ? { value: 0, min: 0, max: 0 } : { value: this.last, min: this.min, max: this.max };
  }
  aggregate(name: string): number | undefined {
    return name === "value" ? this.last : undefined;
  }
}

class RateSink implements Sink {
  sampleCount = 0;
  private passes = 0;
  add(value: number): void {
    this.sampleCount += 1;
    if (value !== 0) this.passes += 1;
  }
  values(): Record<string, number> {
    return { rate: this.rate(), passes: this.passes, fails: this.sampleCount - this.passes };
  }
  aggregate(name: string): number | undefined {
    return name === "rate" ? this.rate() : undefined;
  }
  private rate(): number {
    return this.sampleCount === 0 ? 0 : this.passes / this.sampleCount;
  }
}

const PERCENTILE = /^p\((\d+(?:\.\d+)?)\)$/;

/**
 * Trend percentiles come from an HDR histogram of the values in thousandths (microseconds for
 * time trends), 3 significant digits: percentiles are within 0.1 % of the exact ones, memory
 * stays bounded however long the run. min, max and avg are exact. Negative values are kept
 * exactly in min/avg but counted as 0 by the percentiles (HDR records non-negative integers).
 */
class TrendSink implements Sink {
  sampleCount = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private readonly histogram: Histogram = build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  add(value: number): void {
    this.sampleCount += 1;
    this.sum += value;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    this.histogram.recordValue(Math.max(0, Math.round(value * 1000)));
  }
  values(_testDurationMs: number, trendStats: readonly string[]): Record<string, number> {
    const values: Record<string, number> = {};
    for (const stat of trendStats) {
      const value = this.aggregate(stat);
      if (value !== undefined) values[stat] = value;
    }
    return values;
  }
  aggregate(name: string): number | undefined {
    if (name === "count") return this.sampleCount;
    if (this.sampleCount === 0) return name === "avg" || name === "min" || name === "max" || name === "med" || PERCENTILE.test(name) ? 0 : undefined;
    switch (name) {
      case "avg":
        return this.sum / this.sampleCount;
      case "min":
        return this.min;
      case "max":
        return this.max;
      case "med":
        return this.percentile(50);
      default: {
        const match = PERCENTILE.exec(name);
        return match ? this.percentile(Number(match[1])) : undefined;
      }
    }
  }
  private percentile(p: number): number {
    if (p >= 100) return this.max;
    if (p <= 0) return this.min;
    const value = this.histogram.getValueAtPercentile(p) / 1000;
    // The histogram answers the top of a bucket; never report beyond what was observed.
    return Math.min(this.max, Math.max(this.min, value));
  }
}

export const createSink = (type: MetricType): Sink => {
  switch (type) {
    case "counter":
      return new CounterSink();
    case "gauge":
      return new GaugeSink();
    case "rate":
      return new RateSink();
    case "trend":
      return new TrendSink();
  }
};

/** Whether `aggregation` is something k6 accepts in a threshold on a metric of this type. */
export const isValidAggregation = (type: MetricType, aggregation: string): boolean => {
  switch (type) {
    case "counter":
      return aggregation === "count" || aggregation === "rate";
    case "gauge":
      return aggregation === "value";
    case "rate":
      return aggregation === "rate";
    case "trend":
      return ["avg", "min", "max", "med"].includes(aggregation) || PERCENTILE.test(aggregation);
  }
};
