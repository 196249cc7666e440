// The gateway's own CPU per request, against a bare node:http server (docs/benchmarks.md §5f):
//
//   npm run bench -- gateway-edge [--seconds 5] [--concurrency 16] [--rounds 8] [--against DIR] [--cpu-prof DIR]
//
// Per round: GET /healthz on the bare server, then on the gateway (throughput ratio to bare, server
// CPU µs per request from /proc), then POST /v1/products on the gateway. With --against DIR (a
// copy of another build, benchmarks/gatewayEdge/copyBuild.sh), that build's gateway runs beside
// this checkout's: healthz one after the other (order alternating by round), creates on both at
// once in the same window — the paired comparison a shared, noisy machine allows. Medians last.
// With --cpu-prof DIR the gateways run under `node --cpu-prof` and leave their profiles in DIR.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "16" },
    rounds: { type: "string", default: "8" },
    against: { type: "string" },
    "cpu-prof": { type: "string" },
  },
});
const SECRET = "gateway-edge-bench-secret-0123456789abcdef";
const CLOCK_TICKS = 100; // USER_HZ of /proc/<pid>/stat on Linux

const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
};
const start = (mode, build) =>
  new Promise((resolveStart, reject) => {
    const profiling = mode === "gateway" && args["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", resolve(args["cpu-prof"])] : [];
    const child = spawn(process.execPath, [...profiling, resolve(here, "server.mjs"), mode, build], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, EDGE_BENCH_SECRET: SECRET },
    });
    child.once("exit", (code) => reject(new Error(`${mode} server (${build}) exited with ${code}`)));
    createInterface({ input: child.stdout }).once("line", (port) => resolveStart({ child, base: `http://127.0.0.1:${port}` }));
  });

const { mintToken } = await import(`${root}/gateway/dist/edge/index.js`);
const token = await mintToken({ secret: SECRET, subject: "bench", scopes: ["catalog:write", "read"], ttlSeconds: 3600 });
let sku = 0;
const healthz = (base) => fetch(`${base}/healthz`);
const create = (base) =>
  fetch(`${base}/v1/products`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ sku: `SKU-${process.pid}-${sku++}`, name: "Blue mug", category: "kitchen", price: { amount: 1299, currency: "EUR" } }),
  });

/** Closed loop at the concurrency for the window (after a short warm-up): requests/s and the server's CPU µs per request. */
const measure = async (server, request) => {
  const loop = async (until) => {
    let n = 0;
    while (Date.now() < until) {
      const answer = await request(server.base);
      if (answer.status >= 300) throw new Error(`${answer.status}: ${await answer.text()}`);
      await answer.arrayBuffer();
      n++;
    }
    return n;
  };
  await Promise.all(Array.from({ length: 4 }, () => loop(Date.now() + 700)));
  const cpuBefore = cpuMs(server.child.pid);
  const startedAt = Date.now();
  const counts = await Promise.all(Array.from({ length: Number(args.concurrency) }, () => loop(startedAt + Number(args.seconds) * 1000)));
  const n = counts.reduce((sum, c) => sum + c, 0);
  return { rps: n / ((Date.now() - startedAt) / 1000), usPerRequest: ((cpuMs(server.child.pid) - cpuBefore) * 1000) / n };
};

const builds = args.against ? { this: root, against: resolve(args.against) } : { this: root };
const bare = await start("bare", root);
const gateways = Object.fromEntries(await Promise.all(Object.entries(builds).map(async ([name, build]) => [name, await start("gateway", build)])));
const rows = [];
try {
  for (let round = 0; round < Number(args.rounds); round++) {
    const order = round % 2 === 0 ? Object.keys(gateways) : Object.keys(gateways).reverse();
    const baseline = await measure(bare, healthz);
    rows.push({ round, cell: "bare healthz", ...baseline });
    for (const name of order) {
      const answer = await measure(gateways[name], healthz);
      rows.push({ round, cell: `${name} healthz`, ...answer, ratio: answer.rps / baseline.rps });
    }
    const created = await Promise.all(order.map((name) => measure(gateways[name], create)));
    order.forEach((name, i) => rows.push({ round, cell: `${name} create`, ...created[i] }));
  }
} finally {
  for (const server of [bare, ...Object.values(gateways)]) {
    server.child.removeAllListeners("exit");
    server.child.kill();
  }
}
const fmt = (x, digits = 0) => x.toFixed(digits).padStart(7);
for (const r of rows)
  console.log(
    `round ${r.round} ${r.cell.padEnd(16)} ${fmt(r.rps)} req/s ${fmt(r.usPerRequest)} µs CPU/req${r.ratio === undefined ? "" : `  ${r.ratio.toFixed(2)}× bare`}`,
  );
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
for (const cell of [...new Set(rows.map((r) => r.cell))]) {
  const of = rows.filter((r) => r.cell === cell);
  console.log(
    `median ${cell.padEnd(16)} ${fmt(median(of.map((r) => r.rps)))} req/s ${fmt(median(of.map((r) => r.usPerRequest)))} µs CPU/req${of[0].ratio === undefined ? "" : `  ${median(of.map((r) => r.ratio)).toFixed(2)}× bare`}`,
  );
}
