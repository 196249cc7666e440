import { loadDescriptorSet } from "@bazaar/contracts/descriptors";
import { connectCassandra, createCassandraEventStore, ensureEventStoreSchema, ensureKeyspace } from "@bazaar/event-store";
import { connectNats, createEventPublisher, ensureStream } from "@bazaar/messaging";
import { connectElasticsearch, ensureIndex, startProjector } from "@bazaar/projections";
import { createLogger, onShutdown, startGrpcServer, type GrpcService, type ShutdownStep } from "@bazaar/runtime";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { createProductCommandHandler } from "./application/productCommandHandler.js";
import { CATALOG_STREAM, catalogSubjectFor } from "./catalogStreams.js";
import { loadCatalogConfig } from "./config.js";
import { createCatalogCommandService } from "./grpc/catalogCommandService.js";
import { createCatalogQueryService } from "./grpc/catalogQueryService.js";
import { productSearchProjection } from "./projections/productSearchProjection.js";
import { createProductQueries } from "./query/productQueries.js";

/** Composition root of the catalog: builds the adapters its roles need and wires them. */
const main = async () => {
  const config = loadCatalogConfig();
  const { roles } = config;
  const logger = createLogger("catalog", { roles: [...roles] });

  const nats = roles.has("command") || roles.has("projector")
    ? await connectNats({ ...config.nats, name: `catalog-${[...roles].join("+")}` })
    : undefined;
  const es = roles.has("projector") || roles.has("query") ? connectElasticsearch(config.elasticsearch) : undefined;
  const cassandra = roles.has("command") ? await connectCassandra(config.cassandra) : undefined;

  // Schema setup is idempotent, so every process of every role runs what it relies on.
  if (nats) await ensureStream(await jetstreamManager(nats), CATALOG_STREAM);
  if (es) await ensureIndex(es, productSearchProjection);
  if (cassandra) {
    await ensureKeyspace(cassandra, config.cassandra.keyspace, config.cassandra.replicationFactor);
    await ensureEventStoreSchema(cassandra, config.cassandra.keyspace);
  }

  const services: GrpcService[] = [];
  if (cassandra && nats) {
    const handle = createProductCommandHandler({
      eventStore: createCassandraEventStore(cassandra, config.cassandra.keyspace),
      sink: createEventPublisher(jetstream(nats), catalogSubjectFor),
    });
    services.push(createCatalogCommandService({ handle, logger }));
  }
  if (roles.has("query") && es) services.push(createCatalogQueryService({ queries: createProductQueries(es), logger }));
  const server = services.length > 0
    ? await startGrpcServer({ ...config.grpc, services, descriptorSet: loadDescriptorSet(), logger })
    : undefined;

  const projector = roles.has("projector") && nats && es
    ? await startProjector({
        js: jetstream(nats),
        jsm: await jetstreamManager(nats),
        es,
        stream: CATALOG_STREAM.name,
        filterSubjects: CATALOG_STREAM.subjects,
        projection: productSearchProjection,
        logger,
      })
    : undefined;

  // Stop taking work first, then let in-flight work finish, then close connections.
  const steps: (ShutdownStep | false | undefined)[] = [
    server && { name: "grpc", run: () => server.shutdown() },
    projector && { name: "projector", run: () => projector.stop() },
    nats && { name: "nats", run: () => nats.drain() },
    cassandra && { name: "cassandra", run: () => cassandra.shutdown() },
    es && { name: "elasticsearch", run: () => es.close() },
  ];
  onShutdown(logger, steps.filter((step): step is ShutdownStep => Boolean(step)));
  logger.info({ roles: [...roles] }, "catalog ready");
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
