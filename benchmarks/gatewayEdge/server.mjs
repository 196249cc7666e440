// One server for bench.mjs: `bare` (node:http answering /healthz) or `gateway` — the gateway's HTTP
// layer as main.ts composes it (the real edge: security headers, JSON limits, both rate limits
// (raised), JWT authentication, Idempotency-Key guard, route metrics, the HTTP span, the request
// budget) over scripted downstreams whose createProduct answers at once: what the gateway itself
// costs per request, without gRPC. Prints its port; `root` is the build to load (a checkout, or a
// copy made by copyBuild.sh).
import http from "node:http";

const [mode, root] = process.argv.slice(2);
let server;
if (mode === "bare") {
  server = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end('{"status":"ok"}');
  });
} else {
  const { createApp } = await import(`${root}/gateway/dist/app.js`);
  const { createConsistencyTokens } = await import(`${root}/gateway/dist/http/consistencyTokens.js`);
  const { createCursorSeal } = await import(`${root}/gateway/dist/http/signedCursors.js`);
  const { createAuthenticator, protection, idempotency } = await import(`${root}/gateway/dist/edge/index.js`);
  const { createLogger, createMetricsRegistry } = await import(`${root}/packages/runtime/dist/index.js`);
  const secret = process.env.EDGE_BENCH_SECRET;
  const auth = createAuthenticator({ hs256Secret: secret });
  const edge = protection({ rateLimit: { limit: 1e9, ipLimit: 1e9, windowMs: 60_000 }, bodyLimit: "64kb" });
  const logger = createLogger("gateway", {});
  // A downstream answering only what the bench sends; any other call fails, naming itself.
  const scripted = (name, answers) =>
    new Proxy(
      {},
      {
        get: (_, method) =>
          method === "then" ? undefined : (answers[method] ?? (() => Promise.reject(new Error(`the bench scripted no ${name}.${String(method)}`)))),
      },
    );
  const downstreams = Object.fromEntries(["catalog", "inventory", "customers", "ordering", "sagas", "readiness"].map((name) => [name, scripted(name, {})]));
  // Answers at once, whatever it was sent.
  downstreams.catalog = scripted("catalog", {
    createProduct: async ({ productId }) => ({ productId, position: { streamId: `product-${productId}`, version: 1 } }),
  });
  const unused = () => {
    throw new Error("the bench sends no Idempotency-Key");
  };
  const app = createApp({
    ...downstreams,
    tokens: createConsistencyTokens(secret),
    cursors: createCursorSeal(secret),
    consistencyWaitMs: 1500,
    authorize: (scopes) => auth.authorize(scopes),
    // main.ts's edge: protection's headers, JSON parser and both limits, then authentication and the command guard.
    edge: {
      ...edge,
      authenticate: auth.authenticate,
      commands: [idempotency({ store: { claim: unused, complete: unused, release: unused, takeOver: unused }, logger })],
    },
    logger,
    bodyLimit: "64kb",
    requestBudgetMs: 5000,
    metrics: createMetricsRegistry("gateway"),
  });
  server = http.createServer(app);
}
server.keepAliveTimeout = 60_000;
process.on("SIGTERM", () => process.exit(0));
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
