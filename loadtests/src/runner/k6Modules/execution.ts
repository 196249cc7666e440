import { ExitCode } from "../exitCodes.js";
import type { RunRuntime } from "../runtime.js";

/** The `k6/execution` module: where the calling code runs (scenario, VU, test run). */
export const createExecutionModule = (runtime: RunRuntime) => {
  const context = (what: string) => runtime.contexts.require(`exec.${what}`);
  const scenario = (what: string) => {
    const current = context(`scenario.${what}`).scenario;
    if (!current) throw new Error(`exec.scenario.${what} is only available inside a scenario (not in init, setup or teardown)`);
    return current;
  };
  const runningFor = (): number => (runtime.scenariosStartedAt === undefined ? 0 : performance.now() - runtime.scenariosStartedAt);

  const exec = {
    scenario: {
      get name() {
        return scenario("name").name;
      },
      get executor() {
        return scenario("executor").executor;
      },
      get startTime() {
        return performance.timeOrigin + scenario("startTime").startedAt;
      },
      get progress() {
        return scenario("progress").progress();
      },
      get iterationInTest() {
        return context("scenario.iterationInTest").iterationInScenario;
      },
      get iterationInInstance() {
        return context("scenario.iterationInInstance").iterationInScenario;
      },
    },
    vu: {
      get idInTest() {
        return context("vu.idInTest").vu?.idInTest ?? 0;
      },
      get idInInstance() {
        return context("vu.idInInstance").vu?.idInTest ?? 0;
      },
      get iterationInInstance() {
        return context("vu.iterationInInstance").iteration;
      },
      get iterationInScenario() {
        return context("vu.iterationInScenario").iteration;
      },
    },
    instance: {
      get currentTestRunDuration() {
        return runningFor();
      },
    },
    test: {
      abort(reason = "test aborted by the script"): never {
        runtime.abort(reason, ExitCode.scriptAborted);
        throw new Error(`exec.test.abort(): ${reason}`);
      },
    },
  };
  return { default: exec };
};
