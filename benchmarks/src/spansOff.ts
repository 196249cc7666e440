/**
 * What the tracing code costs while tracing is off (no OTEL endpoint: no tracer provider
 * registered, the OpenTelemetry API stays its no-op): core's inSpan, as the gateway, the gRPC
 * ends, the append, the publish and the consumers use it, against the same awaited work without
 * it — in the same run, rounds alternating so a drift of the machine favours neither.
 * The whole-path cost of tracing on (10 % sampled) is `bench e2e` with OTEL_* set (docs/benchmarks.md).
 *
 *   node benchmarks/dist/spansOff.js [--iterations 200000] [--rounds 6]
 */
import { inSpan, traceparentOf, tracerFor } from "@bazaar/core/spans";
import { benchArgs } from "./lib/args.js";
import { main } from "./lib/stack.js";
import { printTable } from "./lib/table.js";

const args = benchArgs(["iterations", "rounds"]);
const iterations = args.number("iterations", 200_000);
const rounds = args.number("rounds", 6);
const tracer = tracerFor("@bazaar/bench");

/** Stands for a request's work: resolves on the next microtask, as an awaited call does. */
const work = async (n: number) => n + 1;

/** One request's instrumentation: a span around the work and the traceparent read stored with an event. */
const modes = {
  "plain: await work()": async (n: number) => work(n),
  "tracing off: inSpan(work) + traceparentOf()": async (n: number) =>
    inSpan(tracer, "bench", {}, async () => {
      traceparentOf();
      return work(n);
    }),
};

/** Nanoseconds per call over `iterations` awaited calls. */
const time = async (call: (n: number) => Promise<number>): Promise<number> => {
  let sum = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sum += await call(i);
  if (sum === 0) throw new Error("unreachable: keeps the loop from being optimised away");
  return Number(process.hrtime.bigint() - started) / iterations;
};

main(async () => {
  const names = Object.keys(modes) as (keyof typeof modes)[];
  const samples = new Map(names.map((name) => [name, [] as number[]]));
  for (const name of names) await time(modes[name]); // warm-up: JIT both paths first
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) samples.get(name)!.push(await time(modes[name]));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const plain = median(samples.get(names[0]!)!);
  printTable(
    ["mode", "ns per call (median of rounds)", "min", "max", "added ns per call"],
    names.map((name) => {
      const values = samples.get(name)!;
      return [name, median(values).toFixed(0), Math.min(...values).toFixed(0), Math.max(...values).toFixed(0), (median(values) - plain).toFixed(0)];
    }),
  );
  console.log(`${iterations} calls per round, ${rounds} rounds, alternating order; no tracer provider registered (tracing off)`);
});
