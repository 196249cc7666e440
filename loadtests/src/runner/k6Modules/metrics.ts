import type { MetricContains, MetricType } from "../metrics/registry.js";
import { recordSample, systemTags, type RunRuntime } from "../runtime.js";

/** The `k6/metrics` module: custom Trend, Counter, Rate and Gauge metrics. */
export const createMetricsModule = (runtime: RunRuntime) => {
  const customMetric = (type: MetricType) =>
    class CustomMetric {
      readonly name: string;
      constructor(name: string, isTime = false) {
        const context = runtime.contexts.current();
        if (context && context.phase !== "init")
          throw new Error(`new ${type} metric "${name}": custom metrics must be created in the init context (module top level)`);
        const contains: MetricContains = type === "trend" && isTime ? "time" : "default";
        this.name = runtime.registry.define(name, type, contains).name;
      }

      add(value: number | boolean, tags: Record<string, string> = {}): void {
        const context = runtime.contexts.require(`${this.name}.add()`);
        if (context.phase === "init") throw new Error(`${this.name}.add(): samples cannot be added in the init context`);
        const number = typeof value === "boolean" ? Number(value) : Number(value);
        if (!Number.isFinite(number)) throw new Error(`${this.name}.add(${String(value)}): not a number`);
        const metric = runtime.registry.get(this.name);
        if (metric) recordSample(runtime, context, metric, number, { ...systemTags(runtime, context), ...stringTags(tags) });
      }
    };

  const Trend = customMetric("trend");
  const Counter = customMetric("counter");
  const Rate = customMetric("rate");
  const Gauge = customMetric("gauge");
  return { default: { Trend, Counter, Rate, Gauge }, Trend, Counter, Rate, Gauge };
};

const stringTags = (tags: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)]));
