import { ExitCode, RunnerError } from "./exitCodes.js";
import type { Metric, MetricRegistry } from "./metrics/registry.js";
import { isValidAggregation, type Sink } from "./metrics/sinks.js";
import { parseMetricSelector } from "./metrics/tagFilter.js";
import type { ThresholdDefinition } from "./options.js";

type Operator = "<" | "<=" | ">" | ">=" | "==" | "===" | "!=";

/** One threshold expression bound to the sink it judges. */
export interface Threshold {
  /** `metric` or `metric{tag:value}` as the summary names it. */
  readonly selectorKey: string;
  readonly expression: string;
  readonly metric: Metric;
  readonly sink: Sink;
  readonly aggregation: string;
  readonly operator: Operator;
  readonly limit: number;
  readonly abortOnFail: boolean;
  readonly delayAbortEvalMs: number;
  /** The last evaluation's result (true until evaluated). */
  ok: boolean;
}

const EXPRESSION = /^\s*(avg|min|max|med|count|rate|value|p\(\d+(?:\.\d+)?\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

const invalid = (message: string): RunnerError => new RunnerError(`invalid threshold: ${message}`, ExitCode.invalidConfig);

/**
 * Binds the script's thresholds to metrics (run after the script's init, when its custom metrics
 * exist); a selector with a tag filter creates the sub-metric. Unknown metrics, unparsable
 * expressions and aggregations that do not fit the metric type fail here, like k6.
 */
export const compileThresholds = (definitions: ReadonlyMap<string, readonly ThresholdDefinition[]>, registry: MetricRegistry): Threshold[] => {
  const thresholds: Threshold[] = [];
  for (const [selectorText, list] of definitions) {
    let selector;
    try {
      selector = parseMetricSelector(selectorText);
    } catch (error) {
      throw invalid((error as Error).message);
    }
    const metric = registry.get(selector.metric);
    if (!metric) throw invalid(`"${selectorText}": no metric named "${selector.metric}" (custom metrics must be created at the script's top level)`);
    const sink = selector.filter.length > 0 ? registry.submetric(selector).sink : metric.sink;
    for (const definition of list) {
      const match = EXPRESSION.exec(definition.expression);
      if (!match) throw invalid(`"${selectorText}": "${definition.expression}" is not "<aggregation> <operator> <number>" (e.g. "p(99)<500", "rate>0.99")`);
      const aggregation = match[1]!.toLowerCase();
      if (!isValidAggregation(metric.type, aggregation)) {
        throw invalid(`"${selectorText}": "${aggregation}" does not apply to ${metric.name}, a ${metric.type} metric`);
      }
      thresholds.push({
        selectorKey: selector.key,
        expression: definition.expression,
        metric,
        sink,
        aggregation,
        operator: match[2] as Operator,
        limit: Number(match[3]),
        abortOnFail: definition.abortOnFail,
        delayAbortEvalMs: definition.delayAbortEvalMs,
        ok: true,
      });
    }
  }
  return thresholds;
};

const compare = (value: number, operator: Operator, limit: number): boolean => {
  switch (operator) {
    case "<":
      return value < limit;
    case "<=":
      return value <= limit;
    case ">":
      return value > limit;
    case ">=":
      return value >= limit;
    case "==":
    case "===":
      return value === limit;
    case "!=":
      return value !== limit;
  }
};

/** Evaluates (and stores `ok` on) each threshold; returns those crossed. */
export const evaluateThresholds = (thresholds: readonly Threshold[], testDurationMs: number): Threshold[] => {
  for (const threshold of thresholds) {
    const value = threshold.sink.aggregate(threshold.aggregation, testDurationMs) ?? 0;
    threshold.ok = compare(value, threshold.operator, threshold.limit);
  }
  return thresholds.filter((threshold) => !threshold.ok);
};
