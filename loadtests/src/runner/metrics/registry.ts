import { createSink, type MetricType, type Sink } from "./sinks.js";
import { matchesFilter, type MetricSelector } from "./tagFilter.js";

export type { MetricType } from "./sinks.js";
export type MetricContains = "default" | "time" | "data";
export type Tags = Readonly<Record<string, string>>;

export interface Submetric {
  readonly selector: MetricSelector;
  readonly sink: Sink;
}

export interface Metric {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: MetricContains;
  readonly sink: Sink;
  readonly submetrics: Submetric[];
}

/** One observation; `time` is wall-clock epoch milliseconds (fractional). */
export interface Sample {
  readonly metric: Metric;
  readonly value: number;
  readonly tags: Tags;
  readonly time: number;
}

export type SampleListener = (sample: Sample) => void;

const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Every metric of one run: definitions, their sinks and sub-metric sinks, and sample listeners (outputs). */
export class MetricRegistry {
  private readonly metrics = new Map<string, Metric>();
  private readonly listeners: SampleListener[] = [];

  /** Defines a metric, or returns the existing one if it was defined with the same type. */
  define(name: string, type: MetricType, contains: MetricContains = "default"): Metric {
    if (!METRIC_NAME.test(name)) {
      throw new Error(`invalid metric name "${name}": letters, digits and _ only, not starting with a digit, at most 128`);
    }
    const existing = this.metrics.get(name);
    if (existing) {
      if (existing.type !== type) throw new Error(`metric "${name}" is already defined as a ${existing.type}, not a ${type}`);
      return existing;
    }
    const metric: Metric = { name, type, contains, sink: createSink(type), submetrics: [] };
    this.metrics.set(name, metric);
    return metric;
  }

  get(name: string): Metric | undefined {
    return this.metrics.get(name);
  }

  all(): Metric[] {
    return [...this.metrics.values()];
  }

  /** The sub-metric for a selector with a tag filter (created once; thresholds and the summary share it). */
  submetric(selector: MetricSelector): Submetric {
    const metric = this.metrics.get(selector.metric);
    if (!metric) throw new Error(`no metric named "${selector.metric}"`);
    const existing = metric.submetrics.find((sub) => sub.selector.key === selector.key);
    if (existing) return existing;
    const submetric: Submetric = { selector, sink: createSink(metric.type) };
    metric.submetrics.push(submetric);
    return submetric;
  }

  onSample(listener: SampleListener): void {
    this.listeners.push(listener);
  }

  push(metric: Metric, value: number, tags: Tags, time: number = performance.timeOrigin + performance.now()): void {
    if (!Number.isFinite(value)) throw new Error(`metric "${metric.name}": value ${String(value)} is not a finite number`);
    metric.sink.add(value);
    for (const submetric of metric.submetrics) {
      if (matchesFilter(submetric.selector.filter, tags)) submetric.sink.add(value);
    }
    if (this.listeners.length === 0) return;
    const sample: Sample = { metric, value, tags, time };
    for (const listener of this.listeners) listener(sample);
  }
}
