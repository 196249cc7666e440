import { loadDescriptorSet } from "@bazaar/contracts/descriptors";
import {
  connectCassandra,
  createCassandraEventStore,
  createCassandraOutbox,
  createCassandraSnapshotStore,
  createPublicationMetrics,
  createReliablePublisher,
  ensureEventSourcingSchema,
  ensureKeyspace,
  startRelay,
} from "@bazaar/event-store";
import { connectNats, createEventPublisher, ensureStream } from "@bazaar/messaging";
import { connectElasticsearch, createProjectionMetrics, ensureIndex, startProjector } from "@bazaar/projections";
import {
  createLogger,
  createMetricsRegistry,
  onShutdown,
  startGrpcServer,
  startMetricsServer,
  type GrpcService,
  type ShutdownStep,
} from "@bazaar/runtime";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { createProductCommandHandler } from "./application/productCommandHandler.js";
import { catalogTopology } from "./catalogTopology.js";
import { loadCatalogConfig } from "./config.js";
import { createCatalogCommandService } from "./grpc/catalogCommandService.js";
import { createCatalogQueryService } from "./grpc/catalogQueryService.js";
import { createProductQueries } from "./query/productQueries.js";

/** Composition root of the catalog: builds the adapters its roles need and wires them. */
const main = async () => {
  const config = loadCatalogConfig();
  const { roles } = config;
  const logger = createLogger("catalog", { roles: [...roles] });
  const registry = createMetricsRegistry("catalog");
  const topology = catalogTopology(config.namespace);

  const nats = roles.has("command") || roles.has("projector")
    ? await connectNats({ ...config.nats, name: `catalog-${[...roles].join("+")}` })
    : undefined;
  const es = roles.has("projector") || roles.has("query") ? connectElasticsearch(config.elasticsearch) : undefined;
  const cassandra = roles.has("command") ? await connectCassandra(config.cassandra) : undefined;

  // Schema setup is idempotent, so every process of every role runs what it relies on.
  if (nats) await ensureStream(await jetstreamManager(nats), topology.stream);
  if (es) for (const { projection } of topology.projections) await ensureIndex(es, projection);
  if (cassandra) {
    await ensureKeyspace(cassandra, config.cassandra.keyspace, config.cassandra.replicationFactor);
    await ensureEventSourcingSchema(cassandra, config.cassandra.keyspace);
  }

  const services: GrpcService[] = [];
  const command = cassandra && nats
    ? (() => {
        const { keyspace } = config.cassandra;
        const eventStore = createCassandraEventStore(cassandra, keyspace);
        const outbox = createCassandraOutbox(cassandra, keyspace);
        const sink = createEventPublisher(jetstream(nats), topology.subjectFor);
        const metrics = createPublicationMetrics(registry);
        const publisher = createReliablePublisher({
          eventStore,
          outbox,
          sink,
          metrics,
          onError: (err, streamId) => logger.warn({ err, streamId }, "publish failed; the relay will republish"),
        });
        const relay = startRelay({ eventStore, outbox, sink, metrics, ...config.relay, onError: (err) => logger.warn({ err }, "relay pass failed") });
        const handle = createProductCommandHandler({
          eventStore,
          append: publisher.append,
          snapshots: createCassandraSnapshotStore(cassandra, keyspace),
          snapshotEvery: config.snapshotEvery,
          onSnapshotError: (err) => logger.warn({ err }, "snapshot not saved"),
        });
        services.push(createCatalogCommandService({ handle, logger }));
        return { publisher, relay };
      })()
    : undefined;
  if (roles.has("query") && es) services.push(createCatalogQueryService({ queries: createProductQueries(es, topology.productSearch.alias), logger }));
  const server = services.length > 0
    ? await startGrpcServer({ ...config.grpc, services, descriptorSet: loadDescriptorSet(), logger })
    : undefined;

  const projectors = roles.has("projector") && nats && es
    ? await Promise.all(
        topology.projections.map(async (definition) =>
          startProjector({
            ...definition,
            js: jetstream(nats),
            jsm: await jetstreamManager(nats),
            es,
            logger,
            metrics: createProjectionMetrics(registry),
          }),
        ),
      )
    : [];
  const metricsServer = await startMetricsServer({ ...config.metrics, registry });

  // Stop taking work first, then let in-flight work finish, then close connections.
  const steps: (ShutdownStep | false | undefined)[] = [
    server && { name: "grpc", run: () => server.shutdown() },
    command && { name: "publications", run: () => command.publisher.flush() },
    command && { name: "relay", run: () => command.relay.stop() },
    ...projectors.map((projector) => ({ name: `projector ${projector.consumer}`, run: () => projector.stop() })),
    nats && { name: "nats", run: () => nats.drain() },
    cassandra && { name: "cassandra", run: () => cassandra.shutdown() },
    es && { name: "elasticsearch", run: () => es.close() },
    { name: "metrics", run: () => metricsServer.close() },
  ];
  onShutdown(logger, steps.filter((step): step is ShutdownStep => Boolean(step)));
  logger.info({ roles: [...roles], metrics: `http://${config.metrics.host}:${metricsServer.port}/metrics` }, "catalog ready");
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
