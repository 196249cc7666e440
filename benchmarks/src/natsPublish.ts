/**
 * What a JetStream publish costs the publishing process, with and without the NATS client's
 * async traces (`noAsyncTraces`, which `connectNats` now sets): two connections to the stack's
 * NATS, each publishing ~300 B events through `createEventPublisher` (the services' publish path:
 * envelope encoding, the publish span, `Nats-Msg-Id`, the awaited ack) at a fixed concurrency,
 * rounds alternating so a drift of the machine favours neither. CPU is this process's own
 * (`process.cpuUsage`): the client's work, not the server's.
 *
 *   node benchmarks/dist/natsPublish.js [--publishes 4000] [--rounds 6] [--concurrency 16]
 */
import { createEventPublisher, type EventPublisher } from "@bazaar/messaging";
import { stack } from "@bazaar/testing";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { benchArgs } from "./lib/args.js";
import { envelope } from "./lib/payload.js";
import { jetStreamStream, main, onCleanup } from "./lib/stack.js";
import { printTable } from "./lib/table.js";

const args = benchArgs(["publishes", "rounds", "concurrency"]);
const publishes = args.number("publishes", 4000);
const rounds = args.number("rounds", 6);
const concurrency = args.number("concurrency", 16);

/** A publisher on a connection of its own, with the client's async traces on or off. */
const publisherWith = async (noAsyncTraces: boolean, subjectRoot: string): Promise<EventPublisher> => {
  const nats = await connect({
    servers: stack.nats.servers,
    ...(stack.nats.user ? { user: stack.nats.user, pass: stack.nats.pass ?? "" } : {}),
    name: `bench-nats-publish-${noAsyncTraces ? "no-traces" : "traces"}`,
    noAsyncTraces,
  });
  onCleanup("nats connection", () => nats.close());
  return createEventPublisher(jetstream(nats), (event) => `${subjectRoot}.${event.streamId}`);
};

let seq = 0;
/** `publishes` events, `concurrency` at a time, each its own stream: CPU µs and wall µs per publish. */
const measure = async (publisher: EventPublisher): Promise<{ cpuUs: number; wallUs: number }> => {
  let next = 0;
  const worker = async () => {
    while (next < publishes) {
      next++;
      const n = seq++;
      await publisher.publish([envelope(`s${n}`, 1, n)]);
    }
  };
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallNs = Number(process.hrtime.bigint() - started);
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / publishes, wallUs: wallNs / 1000 / publishes };
};

main(async () => {
  const { subjectRoot } = await jetStreamStream("nats_publish");
  const modes = {
    "async traces on (the client's default)": await publisherWith(false, subjectRoot),
    "noAsyncTraces (connectNats)": await publisherWith(true, subjectRoot),
  };
  const names = Object.keys(modes) as (keyof typeof modes)[];
  for (const name of names) await measure(modes[name]); // warm-up: JIT both paths first
  const samples = new Map(names.map((name) => [name, [] as { cpuUs: number; wallUs: number }[]]));
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) samples.get(name)!.push(await measure(modes[name]));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  printTable(
    ["mode", "CPU µs per publish (median)", "min", "max", "wall µs per publish (median)"],
    names.map((name) => {
      const cpu = samples.get(name)!.map((s) => s.cpuUs);
      return [
        name,
        median(cpu).toFixed(1),
        Math.min(...cpu).toFixed(1),
        Math.max(...cpu).toFixed(1),
        median(samples.get(name)!.map((s) => s.wallUs)).toFixed(1),
      ];
    }),
  );
  const lower = samples.get(names[1]!)!.filter((s, i) => s.cpuUs < samples.get(names[0]!)![i]!.cpuUs).length;
  console.log(
    `${publishes} publishes per round at c = ${concurrency}, ${rounds} rounds, alternating order; noAsyncTraces cheaper in ${lower} of ${rounds} rounds`,
  );
});
