import type { GroupSummary } from "./groupTree.js";
import type { MetricContains, MetricRegistry, MetricType } from "./metrics/registry.js";
import type { Threshold } from "./thresholds.js";

export interface SummaryMetric {
  type: MetricType;
  contains: MetricContains;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** k6's handleSummary data. */
export interface SummaryData {
  metrics: Record<string, SummaryMetric>;
  root_group: GroupSummary;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
}

/**
 * Metrics that received samples, plus every metric and sub-metric that has thresholds (also
 * without samples, so a threshold on something that never happened still shows).
 */
export const buildSummaryData = (input: {
  registry: MetricRegistry;
  rootGroup: GroupSummary;
  thresholds: readonly Threshold[];
  summaryTrendStats: readonly string[];
  testRunDurationMs: number;
  isStdOutTTY: boolean;
  isStdErrTTY: boolean;
}): SummaryData => {
  const { registry, thresholds, summaryTrendStats, testRunDurationMs } = input;
  const metrics: Record<string, SummaryMetric> = {};
  const thresholdsOf = (key: string): Record<string, { ok: boolean }> | undefined => {
    const own = thresholds.filter((threshold) => threshold.selectorKey === key);
    return own.length === 0 ? undefined : Object.fromEntries(own.map((threshold) => [threshold.expression, { ok: threshold.ok }]));
  };
  for (const metric of registry.all()) {
    const own = thresholdsOf(metric.name);
    if (metric.sink.sampleCount > 0 || own) {
      metrics[metric.name] = {
        type: metric.type,
        contains: metric.contains,
        values: metric.sink.values(testRunDurationMs, summaryTrendStats),
        ...(own ? { thresholds: own } : {}),
      };
    }
    for (const submetric of metric.submetrics) {
      const subThresholds = thresholdsOf(submetric.selector.key);
      metrics[submetric.selector.key] = {
        type: metric.type,
        contains: metric.contains,
        values: submetric.sink.values(testRunDurationMs, summaryTrendStats),
        ...(subThresholds ? { thresholds: subThresholds } : {}),
      };
    }
  }
  return {
    metrics,
    root_group: input.rootGroup,
    options: { summaryTrendStats: [...summaryTrendStats], summaryTimeUnit: "", noColor: !input.isStdOutTTY },
    state: { isStdOutTTY: input.isStdOutTTY, isStdErrTTY: input.isStdErrTTY, testRunDurationMs },
  };
};
