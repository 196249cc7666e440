import type { ContextStorage, ExecutionContext } from "./context.js";
import type { ErrorLog } from "./errorLog.js";
import type { GroupTree } from "./groupTree.js";
import type { BuiltinMetrics } from "./metrics/builtins.js";
import type { Metric, MetricRegistry, Tags } from "./metrics/registry.js";

/** What the k6 module implementations and the executors of one run share. */
export interface RunRuntime {
  readonly contexts: ContextStorage;
  readonly registry: MetricRegistry;
  readonly builtins: BuiltinMetrics;
  readonly groups: GroupTree;
  readonly errors: ErrorLog;
  /** options.tags: added to every sample. */
  runTags: Tags;
  /** Monotonic ms (performance.now) when the scenarios started; undefined before. */
  scenariosStartedAt: number | undefined;
  /** Ends the whole run early (exec.test.abort, a threshold with abortOnFail, SIGINT). */
  abort(reason: string, exitCode: number): void;
}

/** The tags every sample from this context carries: options.tags, scenario tags, `scenario`, `group`. */
export const systemTags = (runtime: RunRuntime, context: ExecutionContext): Record<string, string> => {
  const tags: Record<string, string> = { ...runtime.runTags };
  if (context.scenario) Object.assign(tags, context.scenario.tags, { scenario: context.scenario.name });
  tags.group = context.group;
  return tags;
};

/** Records a sample from script code, unless its iteration was interrupted (k6 drops those). */
export const recordSample = (runtime: RunRuntime, context: ExecutionContext, metric: Metric, value: number, tags: Tags): void => {
  if (context.signal.aborted) return;
  runtime.registry.push(metric, value, tags);
};
