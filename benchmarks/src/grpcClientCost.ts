/**
 * What our gRPC client stack costs per call, against a bare grpc-js client to the same server in
 * the same run (issue #12): the client process's CPU µs per call (process.cpuUsage) for each
 * layer, from the bare client up to the gateway's (factory, interceptors, resilience guard),
 * closed loop at a fixed concurrency, rounds alternating the order so a drift of the machine
 * favours none. The server runs in a process of its own. With --against DIR (a copy of another
 * build, benchmarks/gatewayEdge/copyBuild.sh) that build's clients run in the same rounds.
 *
 *   npm run bench -- grpc-client [--calls 10000] [--concurrency 16] [--rounds 6] [--sample-ratio R] [--against DIR] [--rounds-out FILE]
 *
 * Without --sample-ratio tracing is off (no OTEL endpoint: the API's no-ops, the default); with it,
 * a tracer provider samples that ratio of root spans (parentbased_traceidratio) and drops what it exports.
 * --rounds-out writes every client's CPU µs per call per round as JSON: with --against, the two
 * builds' rounds pair up, so a comparison can count the rounds each build was cheaper in.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as thisRuntime from "@bazaar/runtime";
import { bareClient, runtimeClients, type ClientStack, type Runtime } from "./grpcClient/clientStacks.js";
import { benchArgs } from "./lib/args.js";
import { main, onCleanup } from "./lib/stack.js";
import { fmt, printTable } from "./lib/table.js";

const args = benchArgs(["calls", "concurrency", "rounds", "sample-ratio", "against", "rounds-out"]);
const calls = args.number("calls", 10_000);
const concurrency = args.number("concurrency", 16);
const rounds = args.number("rounds", 6);
const sampleRatio = args.option("sample-ratio", "");
const against = args.option("against", "");
const roundsOut = args.option("rounds-out", "");

/** Client CPU µs per call over `calls` calls, `concurrency` in flight. */
const measure = async (stack: ClientStack): Promise<number> => {
  let next = 0;
  const worker = async () => {
    while (next++ < calls) await stack.call({ productId: "0b6f2a9e-8c1d-4e43-9a57-2f3c6d1e8b70" });
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
};

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

main(async () => {
  const tracing =
    sampleRatio === ""
      ? undefined
      : thisRuntime.startTracing(
          { endpoint: undefined, sampler: { name: "parentbased_traceidratio", ratio: Number(sampleRatio) }, serviceName: undefined },
          { serviceName: "bench", exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} } },
        );
  if (tracing) onCleanup("tracing", () => tracing.shutdown());
  const server = fork(fileURLToPath(new URL("./grpcClient/catalogServer.js", import.meta.url)), { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  onCleanup("catalog server", async () => server.kill());
  const [port] = (await once(server.stdout!, "data")) as [Buffer];
  const address = `127.0.0.1:${port.toString().trim()}`;

  const builds: [string, Runtime][] = [["this", thisRuntime]];
  if (against) builds.push(["against", (await import(resolve(against, "packages/runtime/dist/index.js"))) as Runtime]);
  const stacks = new Map<string, ClientStack>([["bare", bareClient(address)]]);
  for (const [build, runtime] of builds)
    for (const [layer, open] of Object.entries(runtimeClients(runtime))) stacks.set(builds.length > 1 ? `${build}: ${layer}` : layer, open(address));
  const names = [...stacks.keys()];
  onCleanup("clients", async () => stacks.forEach((stack) => stack.close()));
  // Warm-up: connect every client and let the JIT see every path.
  for (const stack of stacks.values()) await measure(stack);
  const samples = new Map(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) samples.get(name)!.push(await measure(stacks.get(name)!));
  }
  if (roundsOut) writeFileSync(roundsOut, JSON.stringify(Object.fromEntries(samples)));
  const bare = median(samples.get("bare")!);
  printTable(
    ["client", "CPU µs per call (median)", "min", "max", "added µs per call", "× bare"],
    names.map((name) => {
      const values = samples.get(name)!;
      return [
        name,
        fmt(median(values), 1),
        fmt(Math.min(...values), 1),
        fmt(Math.max(...values), 1),
        fmt(median(values) - bare, 1),
        fmt(median(values) / bare, 2),
      ];
    }),
  );
  console.log(
    `${calls} calls per client per round at concurrency ${concurrency}, ${rounds} rounds alternating order; tracing ${tracing ? `on, ratio ${sampleRatio} sampled` : "off"}; client process CPU only`,
  );
});
