import { setTimeout as delay } from "node:timers/promises";
import { recordSample, systemTags, type RunRuntime } from "../runtime.js";

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";

/** The `k6` module: check, group, sleep, fail. */
export const createK6Module = (runtime: RunRuntime) => {
  const check = (value: unknown, checks: Record<string, unknown>, tags: Record<string, string> = {}): boolean => {
    const context = runtime.contexts.require("check()");
    let allPassed = true;
    for (const [name, predicate] of Object.entries(checks)) {
      const result = typeof predicate === "function" ? (predicate as (value: unknown) => unknown)(value) : predicate;
      if (isThenable(result)) throw new Error(`check "${name}" returned a Promise: check() with an async function is not supported`);
      const passed = Boolean(result);
      allPassed &&= passed;
      if (context.signal.aborted) continue;
      runtime.groups.recordCheck(context.group, name, passed);
      recordSample(runtime, context, runtime.builtins.checks, passed ? 1 : 0, { ...systemTags(runtime, context), ...tags, check: name });
    }
    return allPassed;
  };

  const group = <T>(name: string, fn: () => T): T => {
    const context = runtime.contexts.require("group()");
    if (name.includes("::")) throw new Error(`group name "${name}" must not contain "::"`);
    const parent = context.group;
    const path = `${parent}::${name}`;
    runtime.groups.group(path);
    const startedAt = performance.now();
    context.group = path;
    let result: T;
    try {
      result = fn();
    } finally {
      context.group = parent;
    }
    if (isThenable(result)) {
      // Keep a rejection of the abandoned promise from becoming an unhandled rejection.
      Promise.resolve(result).catch(() => undefined);
      throw new Error("group() with an async function is not supported");
    }
    recordSample(runtime, context, runtime.builtins.groupDuration, performance.now() - startedAt, { ...systemTags(runtime, context), group: path });
    return result;
  };

  /** Returns a Promise (scripts `await sleep(s)`); ends early, rejecting, if the iteration is interrupted. */
  const sleep = async (seconds: number): Promise<void> => {
    const context = runtime.contexts.require("sleep()");
    await delay(Math.max(0, Number(seconds) * 1000), undefined, { signal: context.signal });
  };

  const fail = (message = ""): never => {
    throw new Error(message);
  };

  return { default: { check, group, sleep, fail }, check, group, sleep, fail };
};
