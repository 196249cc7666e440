import { connectCassandra } from "@bazaar/event-store";
import { methodIdempotency } from "@bazaar/contracts/descriptors";
import {
  createLogger,
  createMetricsRegistry,
  createResilience,
  createUnaryClient,
  onShutdown,
  resilienceMiddleware,
  serviceClientOptions,
  startTracing,
} from "@bazaar/runtime";
import { settleProvisioning } from "@bazaar/service-kit";
import { createApp } from "./app.js";
import { createCatalogClient } from "./clients/catalogClient.js";
import { createCustomerClient } from "./clients/customerClient.js";
import { createInventoryClient } from "./clients/inventoryClient.js";
import { createOrderingClient } from "./clients/orderingClient.js";
import { createPipelineState } from "./clients/pipelineState.js";
import { createReadiness } from "./clients/readiness.js";
import { loadGatewayConfig } from "./config.js";
import { gatewayProvisioning } from "./provisioning.js";
import { cassandraIdempotency, createAuthenticator, protection } from "./edge/index.js";
import { consoleRoutes } from "./http/console.js";
import { createConsistencyTokens } from "./http/consistencyTokens.js";
import { createCursorSeal } from "./http/signedCursors.js";
import { outsideRequestBudget, remainingBudgetMs, withinRequestBudget } from "./http/requestBudget.js";
import type { Connect } from "./clients/connect.js";
import { listenForMetrics } from "./http/metricsListener.js";
import { createSagaCoordinator } from "./sagas/createSagaCoordinator.js";
import { createSagaPorts } from "./sagas/clientSagaPorts.js";

/** Composition root of the gateway. */
const main = async () => {
  const config = loadGatewayConfig();
  const logger = createLogger("gateway");
  const tracing = startTracing(config.tracing, { serviceName: "gateway", attributes: config.namespace ? { "service.namespace": config.namespace } : {} });
  const registry = createMetricsRegistry("gateway");
  const remainingMs = () => remainingBudgetMs(Number.POSITIVE_INFINITY);
  const resilience = createResilience({ registry, metricsPrefix: "bazaar_gateway", settings: config.resilience, remainingMs });
  // Every gRPC call to a context counted and timed per method and status code (its RED metrics).
  const clientOptions = serviceClientOptions({ secret: config.serviceAuth.secret, caller: "gateway", metrics: registry });
  // Routes and saga steps alike: each call's deadline is what is left of the request's budget,
  // behind the resilience guard of its context (retries for methods the protos declare idempotent).
  const middleware = resilienceMiddleware(resilience);
  const connectTo =
    (service: string): Connect =>
    (definition, address) =>
      createUnaryClient(definition, {
        service,
        address,
        channelOptions: clientOptions,
        timeoutMs: config.timeoutMs,
        remainingMs,
        idempotencyOf: methodIdempotency,
        middleware,
      });
  const catalog = createCatalogClient(connectTo("catalog"), config.catalog);
  const inventory = createInventoryClient(connectTo("inventory"), config.inventory);
  const ordering = createOrderingClient(connectTo("ordering"), config.ordering);
  const customers = createCustomerClient(connectTo("customer"), config.customer);
  const readiness = createReadiness(
    {
      "catalog-command": config.catalog.commandAddress,
      "catalog-query": config.catalog.queryAddress,
      "inventory-command": config.inventory.commandAddress,
      "inventory-query": config.inventory.queryAddress,
      "ordering-command": config.ordering.commandAddress,
      "ordering-query": config.ordering.queryAddress,
      "customer-command": config.customer.commandAddress,
      "customer-query": config.customer.queryAddress,
    },
    config.readinessTimeoutMs,
  );

  // The gateway's own keyspace: the saga log and the Idempotency-Key store.
  const cassandra = await connectCassandra(config.cassandra);
  await settleProvisioning(gatewayProvisioning(cassandra, config.cassandra.keyspace, config.cassandra.replicationFactor), config.provisioning);
  // Saga steps go through the same guarded clients as the routes.
  const ports = createSagaPorts({ catalog, ordering, inventory });
  const sagas = await createSagaCoordinator({
    cassandra,
    keyspace: config.cassandra.keyspace,
    ports,
    registry,
    logger,
    ...config.sagas,
    unbounded: outsideRequestBudget,
    bounded: withinRequestBudget,
  });

  const auth = createAuthenticator(config.auth);
  const edge = protection({ rateLimit: config.rateLimit, bodyLimit: config.http.bodyLimit });
  if (config.developmentSecrets.length > 0)
    logger.warn({ variables: config.developmentSecrets }, "BAZAAR_MODE=development: built-in development secrets in use (never in a shared environment)");

  const pipeline = createPipelineState({ nats: config.nats, namespace: config.namespace, contexts: ["catalog", "inventory", "ordering", "customer"], logger });
  const app = createApp({
    catalog,
    inventory,
    ordering,
    customers,
    sagas,
    readiness,
    tokens: createConsistencyTokens(config.consistency.secret),
    cursors: createCursorSeal(config.consistency.secret),
    consistencyWaitMs: config.consistency.waitMs,
    authorize: (scopes) => auth.authorize(scopes),
    breakers: () => resilience.states().breakers,
    edge: {
      headers: edge.headers,
      json: edge.json,
      ipRateLimit: edge.ipRateLimit,
      authenticate: auth.authenticate,
      rateLimit: edge.rateLimit,
      commands: [
        cassandraIdempotency({
          client: cassandra,
          keyspace: config.cassandra.keyspace,
          ttlSeconds: config.idempotencyTtlSeconds,
          leaseMs: config.idempotencyLeaseMs,
          logger,
          settleWithinMs: remainingMs,
        }),
      ],
    },
    logger,
    bodyLimit: config.http.bodyLimit,
    requestBudgetMs: config.requestBudgetMs,
    // The console's development-token button exists only in development mode with HS256 tokens.
    console: consoleRoutes(
      config.mode === "development" && config.auth.hs256Secret ? { devToken: { ...config.auth, hs256Secret: config.auth.hs256Secret } } : {},
    ),
    pipeline,
    metrics: registry,
  });
  const server = app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const metrics = config.metrics ? await listenForMetrics(registry, config.metrics) : undefined;
  if (metrics) logger.info({ url: metrics.url }, "gateway metrics listening");
  logger.info({ url: `http://${config.http.host}:${config.http.port}` }, "gateway listening");
  onShutdown(logger, [
    { name: "http", run: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))) },
    { name: "metrics", run: () => new Promise<void>((resolve) => (metrics ? metrics.server.close(() => resolve()) : resolve())) },
    { name: "saga recovery", run: () => sagas.stop() },
    { name: "nats", run: () => pipeline.close() },
    {
      name: "grpc-clients",
      run: () => {
        for (const client of [catalog, inventory, ordering, customers, readiness]) client.close();
        resilience.close();
        return Promise.resolve();
      },
    },
    { name: "cassandra", run: () => cassandra.shutdown() },
    // Last: the spans of everything above are exported before the process ends.
    { name: "tracing", run: () => tracing.shutdown() },
  ]);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
